import { z } from '@confab/core';

// The `${VAR}` in these messages is the config syntax to write, not a template.
const TOKEN_EXAMPLE = 'token: $' + '{ADA_DISCORD_TOKEN}';

const snowflake = z
  .string()
  .regex(/^\d{15,21}$/, 'a Discord id (a snowflake of digits; enable Developer Mode and use "Copy ID")');

/** One mate's Discord bot account. */
export const discordAccountSchema = z
  .object({
    /** The mate that speaks through this bot account (a `mates[].name`). */
    mate: z.string().min(1),
    /** The bot token, from the environment: `token: ${ADA_DISCORD_TOKEN}`. Never logged. */
    token: z.string().min(1, `a bot token; put it in the environment and write ${TOKEN_EXAMPLE}`),
    /** Guilds (servers) the mate may speak in; every guild it was invited to when omitted. */
    guilds: z.array(snowflake).optional(),
    /** Channels the mate may speak in (threads follow their channel); every channel when omitted. */
    channels: z.array(snowflake).optional(),
  })
  .strict();

/** Config section of `@confab/transport-discord` (its `transports[]` entry but `name` and `plugin`). */
export const discordTransportConfigSchema = z
  .object({
    /** One bot account per mate. */
    accounts: z
      .array(discordAccountSchema)
      .min(1, `at least one account: [{ mate: ada, ${TOKEN_EXAMPLE} }]`)
      .superRefine((accounts, ctx) => {
        const seen = new Set<string>();
        accounts.forEach((account, index) => {
          if (seen.has(account.mate)) {
            ctx.addIssue({
              code: 'custom',
              path: [index, 'mate'],
              message: `mate "${account.mate}" already has an account; each mate gets one bot account`,
            });
          }
          seen.add(account.mate);
        });
      }),
    /**
     * Base URL of Discord's REST API as discord.js takes it (`https://discord.com/api`). Only for a
     * Discord emulator in tests; the gateway URL comes from `GET /gateway/bot`.
     */
    apiUrl: z.string().url().optional(),
    /**
     * Minimum pause between two edits of a streaming reply, in ms. Discord allows 5 message edits
     * per 5 s per channel; 1,200 keeps a reply under that with room for its continuation messages.
     */
    minEditIntervalMs: z.number().int().min(0).default(1200),
    /**
     * REST requests per second per bot across all routes (Discord's global limit, enforced by
     * discord.js). 50 unless Discord raised it for your bot.
     */
    globalRequestsPerSecond: z.number().int().positive().default(50),
    /** How long a mate's login may take before it counts as failed, in ms. */
    readyTimeoutMs: z.number().int().positive().default(30_000),
  })
  .strict();

export type DiscordTransportConfig = z.output<typeof discordTransportConfigSchema>;
export type DiscordAccount = z.output<typeof discordAccountSchema>;
