import type { MateConfig } from '../config/schema.js';
import type { BotIdentity, ChatMessage } from '../messages/chat-message.js';
import { withoutCode } from '../messages/code-spans.js';
import { escapeRegExp, wholeWord } from '../messages/whole-word.js';

/** What the router knows about the message's room. */
export interface RoutingContext {
  /** Identities of the transport the message came through. */
  readonly identities: readonly BotIdentity[];
  /** The room's chosen default mate (`!mate`), if any. */
  readonly defaultMate?: string;
}

/**
 * Decides which mates answer a message: an explicit receiver (`ada: ...` or `@ada ...` at the
 * start), a mention (platform mention of the mate's identity or `@name` in the text), a reply
 * to one of the mate's messages, a direct conversation with the mate, or a keyword. Several
 * mates may answer one message; each answers at most once.
 */
export class Router {
  private readonly byName = new Map<string, MateConfig>();
  /** `ada: ...` / `ada, ...` (group 1, the explicit receiver) or `@ada ...` (group 2). */
  private readonly addressRe: RegExp;
  private readonly mentionRes: { mate: MateConfig; re: RegExp }[];
  private readonly keywordRes: { mate: MateConfig; re: RegExp }[];

  constructor(private readonly mates: readonly MateConfig[]) {
    for (const mate of mates) this.byName.set(mate.name.toLowerCase(), mate);
    const names = mates.map((m) => escapeRegExp(m.name)).join('|');
    this.addressRe = new RegExp(
      `^\\s*@?(${names})\\s*[:,]\\s*|^\\s*${wholeWord(`@(${names})`, 'end')}[:,]?\\s*`,
      'iu',
    );
    this.mentionRes = mates.map((mate) => ({
      mate,
      re: new RegExp(`(^|\\s)${wholeWord(`@${escapeRegExp(mate.name)}`, 'end')}`, 'iu'),
    }));
    this.keywordRes = mates.flatMap((mate) =>
      mate.triggers.keywords.map((k) => ({
        mate,
        re: new RegExp(wholeWord(escapeRegExp(k)), 'iu'),
      })),
    );
  }

  mate(name: string): MateConfig | undefined {
    return this.byName.get(name.toLowerCase());
  }

  /**
   * The mate addressed at the very start (`ada: ...` or `@ada ...`) and the text without that
   * address, which is what the model should see.
   */
  address(text: string): { mate: MateConfig; rest: string } | undefined {
    const match = this.addressRe.exec(text);
    const name = match?.[1] ?? match?.[2];
    const mate = name ? this.mate(name) : undefined;
    return mate && match ? { mate, rest: text.slice(match[0].length) } : undefined;
  }

  /** The mates that answer the message, in the order above. */
  route(message: ChatMessage, context: RoutingContext): MateConfig[] {
    const routes: MateConfig[] = [];
    const { identities } = context;
    // The explicit receiver: `ada: ...` or `ada, ...` at the start.
    add(routes, message, this.mate(this.addressRe.exec(message.text)?.[1] ?? ''));

    for (const userId of message.mentions) {
      const mate = this.mateOf(identities, userId);
      if (mate?.triggers.mention) add(routes, message, mate);
    }
    // Names quoted in code are not calls.
    const prose = withoutCode(message.text);
    for (const { mate, re } of this.mentionRes)
      if (mate.triggers.mention && re.test(prose)) add(routes, message, mate);

    const repliedTo = this.mateOf(identities, message.replyTo?.senderId);
    if (repliedTo?.triggers.reply) add(routes, message, repliedTo);

    if (message.isDirect) {
      // A DM arrives through one mate's identity; a transport hosting all mates under one user
      // reports none, and the room's default mate (or the first mate) answers.
      const through = this.mateOf(identities, message.receivedBy);
      const mate = through ?? this.mate(context.defaultMate ?? '') ?? this.mates[0];
      if (mate?.triggers.direct && routes.length === 0) add(routes, message, mate);
    }

    for (const { mate, re } of this.keywordRes) if (re.test(prose)) add(routes, message, mate);

    return routes;
  }

  /** The mate whose identity on the transport is `userId`. */
  private mateOf(identities: readonly BotIdentity[], userId: string | undefined): MateConfig | undefined {
    if (userId === undefined) return undefined;
    for (const identity of identities) if (identity.userId === userId) return this.mate(identity.mate);
    return undefined;
  }
}

/** Adds `mate` unless it answers already or the message's audience excludes it. */
function add(routes: MateConfig[], message: ChatMessage, mate: MateConfig | undefined): void {
  if (!mate || routes.some((r) => r.name === mate.name)) return;
  if (message.audience && !message.audience.includes(mate.name)) return;
  routes.push(mate);
}
