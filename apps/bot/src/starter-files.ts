/**
 * The files `confab init` writes. The config runs as written where `@confab/testkit` is
 * installed (console transport, testkit's scripted backend: no account, no model), and every
 * other section is there, commented, to be filled in. The CLI itself does not depend on testkit.
 */

/** A commented starter `confab.yaml`. */
export const STARTER_CONFIG = `# confab config. Check it with \`confab check\`, run it with \`confab run\`.
# \${VAR} and \${VAR:-default} are read from the environment and from .env next to this file,
# so secrets never have to be written here (see .env.example).

# Where people talk: one entry per chat platform connection.
transports:
  - name: console                        # talk from this terminal
    plugin: '@confab/transport-console'
    # user: alice                        # your name as the mates see it; default: $USER
  # - name: discord                      # one bot account per mate: confab discord add-mate helper
  #   plugin: '@confab/transport-discord'
  #   accounts:
  #     - { mate: helper, token: \${HELPER_DISCORD_TOKEN} }
  # - name: matrix                       # placeholder package, filled by later work
  #   plugin: '@confab/transport-matrix'
  #   homeserver: https://matrix.example.org
  #   accessToken: \${MATRIX_ACCESS_TOKEN}

# What generates the replies: one entry per model server or local runtime, with named profiles.
backends:
  # Canned replies, to try confab without a model; from @confab/testkit (npm install
  # @confab/testkit beside this file when confab did not come with it).
  - name: scripted
    plugin: '@confab/testkit/scripted-backend'
    profiles:
      default:
        rules:
          - match: '^(hi|hello)\\b'
            reply: 'Hello! I am a scripted mate; connect a real backend to get a real one.'
        reply: 'You said: {text}'
  # - name: ollama                       # an Ollama server
  #   plugin: '@confab/backend-ollama'
  #   host: \${OLLAMA_HOST:-http://127.0.0.1:11434}
  #   profiles:
  #     small: { model: 'qwen2.5:0.5b', parallel: 4 }   # parallel: the server's OLLAMA_NUM_PARALLEL
  # - name: vllm                         # any OpenAI-compatible server (vLLM, LM Studio, llama-server)
  #   plugin: '@confab/backend-openai'
  #   baseURL: http://127.0.0.1:8000/v1
  #   apiKey: \${VLLM_API_KEY:-}
  #   profiles:
  #     small: { model: 'Qwen/Qwen2.5-0.5B-Instruct', parallel: 8 }

# Who answers: a persona with a system prompt, bound to a backend profile.
mates:
  - name: helper
    system: You are a helpful, concise assistant.
    backend: scripted
    profile: default
    # scope: per-user                    # per-user or per-room conversations
    # triggers: { mention: true, reply: true, direct: true, keywords: [] }
    # history: { source: auto, maxMessages: 50 }
    # sampling: { temperature: 0.7, maxTokens: 512 }

# engine:
#   botToBot: { enabled: false, turnBudget: 4, cooldownMs: 1000 }
#   supersede: false                     # a new message cancels the reply in progress
# scheduler:
#   maxQueue: 256
#   maxPerUser: 8
#   jobTimeoutMs: 180000
# commands:
#   prefix: '!'
#   admins: []
store:
  path: ./confab.data                    # the bot's own state, relative to this file
log:
  level: \${CONFAB_LOG_LEVEL:-warn}       # logs go to stderr; info shows every reply
`;

/** The `.env.example` that goes with {@link STARTER_CONFIG}. */
export const STARTER_ENV_EXAMPLE = `# Copy to .env and fill in. confab reads .env next to the config file (then in the working
# directory); variables already set in the environment win. Never commit .env.

# trace, debug, info, warn, error, fatal or silent.
CONFAB_LOG_LEVEL=warn

# For the transports and backends commented out in confab.yaml:
# DISCORD_TOKEN=
# MATRIX_ACCESS_TOKEN=
# OLLAMA_HOST=http://127.0.0.1:11434
# VLLM_API_KEY=
`;
