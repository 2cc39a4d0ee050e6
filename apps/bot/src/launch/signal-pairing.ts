/** Where a signal reached the bot's process from. */
export type SignalSource = 'own' | 'relayed';

interface Unpaired {
  readonly source: SignalSource;
  readonly signal: string;
  readonly at: number;
}

/**
 * Tells apart the signals a bot running under a launcher should act on. A terminal's Ctrl-C, or a
 * service manager stopping the whole group, signals the launcher and the bot alike, and the
 * launcher relays its copy: that is one request, not two (a second one would mean "exit now").
 * A signal sent to one of them only (`docker stop` to the launcher, `kill` to the bot) arrives
 * once and counts.
 *
 * So each arrival counts unless it pairs with an earlier, unpaired arrival of the same signal from
 * the other source within `windowMs`; pairs are matched one to one, so two quick Ctrl-Cs still
 * count twice.
 */
export class SignalPairing {
  private unpaired: Unpaired[] = [];

  constructor(
    private readonly windowMs = 500,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Records an arrival; true when it is a new request, false when it is the other copy of one. */
  arrive(source: SignalSource, signal: string): boolean {
    const at = this.now();
    this.unpaired = this.unpaired.filter((u) => at - u.at <= this.windowMs);
    const twin = this.unpaired.findIndex((u) => u.signal === signal && u.source !== source);
    if (twin >= 0) {
      this.unpaired.splice(twin, 1);
      return false;
    }
    this.unpaired.push({ source, signal, at });
    return true;
  }
}
