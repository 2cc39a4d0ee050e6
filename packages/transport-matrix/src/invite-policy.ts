/** Who may invite the mates into rooms. */
export interface InvitePolicyOptions {
  readonly allowUsers: readonly string[];
  readonly allowServers: readonly string[];
}

/** The server name of a Matrix user id (`@ada:example.org` → `example.org`). */
export function serverOf(userId: string): string {
  return userId.slice(userId.indexOf(':') + 1);
}

/** Decides whether an invite is accepted: the inviter is allowed by id or by server. */
export class InvitePolicy {
  private readonly users: ReadonlySet<string>;
  private readonly servers: ReadonlySet<string>;

  constructor(options: InvitePolicyOptions) {
    this.users = new Set(options.allowUsers);
    this.servers = new Set(options.allowServers.map((s) => s.toLowerCase()));
  }

  allows(inviter: string): boolean {
    return this.users.has(inviter) || this.servers.has(serverOf(inviter).toLowerCase());
  }
}
