/**
 * Stops mates from talking to each other forever: per room, bot-to-bot replies are counted since
 * the last human message and refused past the budget; a human message resets the count.
 */
export class TurnGuard {
  private readonly turns = new Map<string, number>();

  constructor(private readonly budget: number) {}

  /** A human spoke in the room. */
  human(room: string): void {
    this.turns.delete(room);
  }

  /** Claims one bot-to-bot turn in the room; false when the budget is spent. */
  claim(room: string): boolean {
    const used = this.turns.get(room) ?? 0;
    if (used >= this.budget) return false;
    this.turns.set(room, used + 1);
    return true;
  }
}
