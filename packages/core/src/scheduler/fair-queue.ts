import type { JobPriority } from './scheduler.js';

/** What the fair queue needs to know of a job. */
export interface Queueable {
  readonly id: string;
  readonly user: string;
  readonly conversation: string;
  readonly priority: JobPriority;
}

/** Round-robin over users within one priority tier. */
class Tier<T extends Queueable> {
  readonly byUser = new Map<string, T[]>();
  /** Users with waiting jobs, in serving order; the head is served next. */
  rotation: string[] = [];
  size = 0;

  push(job: T): void {
    let jobs = this.byUser.get(job.user);
    if (!jobs) {
      jobs = [];
      this.byUser.set(job.user, jobs);
      this.rotation.push(job.user);
    }
    jobs.push(job);
    this.size++;
  }

  take(eligible: (job: T) => boolean): T | undefined {
    for (let r = 0; r < this.rotation.length; r++) {
      const user = this.rotation[r] as string;
      const jobs = this.byUser.get(user) as T[];
      let seen: Set<string> | undefined;
      for (let i = 0; i < jobs.length; i++) {
        const job = jobs[i] as T;
        // Jobs of one conversation leave in order: only the earliest of each is a candidate.
        if (seen?.has(job.conversation)) continue;
        if (!eligible(job)) {
          seen ??= new Set();
          seen.add(job.conversation);
          continue;
        }
        jobs.splice(i, 1);
        this.size--;
        // The served user goes to the back of the rotation; users skipped keep their place.
        this.rotation.splice(r, 1);
        if (jobs.length > 0) this.rotation.push(user);
        else this.byUser.delete(user);
        return job;
      }
    }
    return undefined;
  }

  remove(predicate: (job: T) => boolean): T[] {
    const removed: T[] = [];
    for (const [user, jobs] of this.byUser.entries()) {
      const kept: T[] = [];
      for (const job of jobs) (predicate(job) ? removed : kept).push(job);
      if (kept.length === 0) this.byUser.delete(user);
      else this.byUser.set(user, kept);
    }
    this.rotation = this.rotation.filter((user) => this.byUser.has(user));
    this.size -= removed.length;
    return removed;
  }

  /** 1-based place `job` would be served at if nothing else arrived, 0 when absent. */
  positionOf(job: T): number {
    const jobs = this.byUser.get(job.user);
    const index = jobs?.indexOf(job) ?? -1;
    if (index < 0) return 0;
    let ahead = 0;
    for (const user of this.rotation) {
      const count = this.byUser.get(user)?.length ?? 0;
      if (user === job.user) {
        ahead += index;
        continue;
      }
      // Every other user is served `index` times before this job's round, plus once more in
      // that round when they come earlier in the rotation.
      const before = this.rotation.indexOf(user) < this.rotation.indexOf(job.user);
      ahead += Math.min(count, index + (before ? 1 : 0));
    }
    return ahead + 1;
  }
}

/**
 * The waiting jobs of one backend profile: humans before bot-to-bot turns, and within each,
 * round-robin across users so one flooding user cannot starve the others.
 */
export class FairQueue<T extends Queueable> {
  private readonly human = new Tier<T>();
  private readonly bot = new Tier<T>();

  get size(): number {
    return this.human.size + this.bot.size;
  }

  push(job: T): void {
    (job.priority === 'bot' ? this.bot : this.human).push(job);
  }

  /** The next job to serve among those `eligible` accepts. */
  take(eligible: (job: T) => boolean = () => true): T | undefined {
    return this.human.take(eligible) ?? this.bot.take(eligible);
  }

  remove(predicate: (job: T) => boolean): T[] {
    return [...this.human.remove(predicate), ...this.bot.remove(predicate)];
  }

  positionOf(job: T): number {
    if (job.priority === 'bot') {
      const position = this.bot.positionOf(job);
      return position === 0 ? 0 : this.human.size + position;
    }
    return this.human.positionOf(job);
  }

  /** The first waiting job of a user, in serving order of their own jobs. */
  firstOf(user: string): T | undefined {
    return this.human.byUser.get(user)?.[0] ?? this.bot.byUser.get(user)?.[0];
  }
}
