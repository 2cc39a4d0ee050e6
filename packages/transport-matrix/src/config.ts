import { z } from '@confab/core';

const matrixUserId = z.string().regex(/^@[^:\s]+:\S+$/, 'a Matrix user id such as "@ada:example.org"');

const mateName = z.string().min(1, 'a mate name from `mates[].name`');

/** Credentials of one Matrix user: an access token, or a password to log in with. */
const credentials = {
  /** Full user id; required with `password`, looked up with `whoami` when a token is given. */
  userId: matrixUserId.optional(),
  /** Access token (keep it in the environment: `${MATRIX_ADA_TOKEN}`). */
  accessToken: z.string().min(1).optional(),
  /** Password; confab logs in once and keeps the token in its store. */
  password: z.string().min(1).optional(),
};

/** One Matrix user per mate. */
export const matrixAccountSchema = z.object({ mate: mateName, ...credentials }).strict();

/** One Matrix user hosting several mates, chosen by mention or `!mate`. */
export const matrixBotAccountSchema = z
  .object({
    ...credentials,
    /** Mates this user speaks for; all configured mates by default. */
    mates: z.array(mateName).optional(),
  })
  .strict();

export const matrixTransportConfigSchema = z
  .object({
    /** Base URL of the homeserver's client-server API, e.g. `https://matrix.example.org`. */
    homeserver: z.string().url('the homeserver URL, e.g. "https://matrix.example.org"'),
    /** One Matrix user per mate (each mate is its own room member). */
    accounts: z.array(matrixAccountSchema).min(1).optional(),
    /** One Matrix user hosting several mates. */
    bot: matrixBotAccountSchema.optional(),
    invites: z
      .object({
        /** Inviters whose invites are accepted. */
        allowUsers: z.array(matrixUserId).default([]),
        /** Servers whose users' invites are accepted; the bot's own server when not given. */
        allowServers: z.array(z.string().min(1)).optional(),
        /** Reason given when an invite is refused. */
        refusal: z
          .string()
          .default("Sorry, I only join rooms when invited by people this bot's operator has allowed."),
      })
      .strict()
      .default({}),
    /** Leave a room once no one but the mates is left in it. */
    leaveEmptyRooms: z.boolean().default(true),
    /** Minimum pause between two edits of a streamed reply, in ms. */
    editIntervalMs: z.number().int().min(0).default(800),
    /** Longest message body sent; longer replies continue in further messages. */
    maxMessageLength: z.number().int().min(100).max(60_000).default(16_000),
    /** Show typing notifications while a mate writes. */
    typing: z.boolean().default(true),
    /** Long-poll timeout of `/sync`, in ms; `stop()` lets the poll in flight run out. */
    syncTimeoutMs: z.number().int().min(0).max(120_000).default(30_000),
    rateLimit: z
      .object({
        /** Retries of a request refused with `M_LIMIT_EXCEEDED`. */
        maxRetries: z.number().int().min(0).max(20).default(5),
        /** A requested wait longer than this gives up, in ms. */
        maxWaitMs: z.number().int().min(0).default(60_000),
      })
      .strict()
      .default({}),
    /**
     * End-to-end encryption, where the native `@matrix-org/matrix-sdk-crypto-nodejs` module is
     * installed: a directory (relative to the config file) for the crypto stores, one per user.
     */
    encryption: z
      .object({ storePath: z.string().min(1) })
      .strict()
      .optional(),
    /**
     * Shared-secret registration for `confab matrix register MATE` (keep it in the environment).
     * Only the CLI uses it; the running bot never does.
     */
    registrationSharedSecret: z.string().min(1).optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    if ((value.accounts === undefined) === (value.bot === undefined)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message:
          'set exactly one of `accounts` (one Matrix user per mate) or `bot` (one Matrix user hosting several mates)',
      });
    }
    const accounts = [...(value.accounts ?? []), ...(value.bot ? [value.bot] : [])];
    accounts.forEach((account, i) => {
      if (account.password !== undefined && account.userId === undefined) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: value.bot ? ['bot', 'userId'] : ['accounts', i, 'userId'],
          message: 'a user id is needed to log in with a password',
        });
      }
    });
    const seen = new Set<string>();
    value.accounts?.forEach((account, i) => {
      if (seen.has(account.mate)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['accounts', i, 'mate'],
          message: `mate '${account.mate}' has two accounts; give each mate one`,
        });
      }
      seen.add(account.mate);
    });
  });

export type MatrixTransportConfig = z.output<typeof matrixTransportConfigSchema>;
export type MatrixAccountConfig = z.output<typeof matrixAccountSchema>;
export type MatrixBotAccountConfig = z.output<typeof matrixBotAccountSchema>;
