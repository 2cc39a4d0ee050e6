import type { MateConfig } from '../config/schema.js';
import type { CommandContext, CommandDefinition, CommandPlugin } from './command-plugin.js';
import { usageLine } from './command-parser.js';
import type { EngineServices } from './engine-services.js';

type Ctx = CommandContext<EngineServices>;
type Command = CommandDefinition<EngineServices>;

const SNAPSHOT_NAME = /^[\w.-]{1,64}$/;

/** The mate named (by default the `mate` argument), else the one addressed; tells when none is called so. */
async function targetMate(ctx: Ctx, name = ctx.args.mate): Promise<MateConfig | undefined> {
  const mate = await ctx.services.mateFor(ctx.message, name);
  if (!mate) await ctx.reply(`No mate called "${name}". ${ctx.prefix}mates lists them.`);
  return mate;
}

const help: Command = {
  name: 'help',
  summary: 'List the commands, or explain one.',
  args: [{ name: 'command', required: false }],
  permission: 'anyone',
  async run(ctx) {
    const commands = ctx.services.commands();
    const asked = ctx.args.command?.replace(ctx.prefix, '').toLowerCase();
    if (asked) {
      const command = commands.find((c) => c.name === asked || c.aliases?.includes(asked));
      if (!command) return ctx.reply(`No command ${ctx.prefix}${asked}.`);
      return ctx.reply(`${usageLine(command, ctx.prefix)} — ${command.summary}`);
    }
    const lines = commands.map(
      (c) =>
        `${usageLine(c, ctx.prefix)} — ${c.summary}${c.permission === 'room-admin' ? ' (room admins)' : ''}`,
    );
    await ctx.reply(['Commands:', ...lines].join('\n'));
  },
};

const start: Command = {
  name: 'start',
  summary: 'Let the mates speak in this room again.',
  args: [],
  permission: 'room-admin',
  async run(ctx) {
    await ctx.services.state.updateRoom(ctx.services.roomKey(ctx.message), { active: true });
    await ctx.reply('▶️ The mates are listening in this room again.');
  },
};

const stop: Command = {
  name: 'stop',
  summary: 'Silence the mates in this room and cancel what they are writing.',
  args: [],
  permission: 'room-admin',
  async run(ctx) {
    const room = ctx.services.roomKey(ctx.message);
    await ctx.services.state.updateRoom(room, { active: false });
    const cancelled = ctx.services.scheduler.cancel({ room }, `stopped by ${ctx.message.sender.name}`);
    await ctx.reply(
      `⏹️ The mates are silent in this room until ${ctx.prefix}start${cancelled ? ` (cancelled ${cancelled} ${cancelled === 1 ? 'reply' : 'replies'})` : ''}.`,
    );
  },
};

const reset: Command = {
  name: 'reset',
  summary: 'Start a new context with a mate (it forgets this conversation).',
  args: [{ name: 'mate', required: false }],
  permission: 'anyone',
  async run(ctx) {
    const mate = await targetMate(ctx);
    if (!mate) return;
    const key = ctx.services.conversationKey(ctx.message, mate);
    await ctx.services.state.updateConversation(key, { since: ctx.message.timestamp, restored: [] });
    await ctx.reply(
      `🧹 ${mate.name} starts a new conversation with ${mate.scope === 'per-room' ? 'this room' : 'you'}.`,
    );
  },
};

const mates: Command = {
  name: 'mates',
  summary: 'List the mates and the room default.',
  args: [],
  permission: 'anyone',
  async run(ctx) {
    const room = await ctx.services.state.room(ctx.services.roomKey(ctx.message));
    const lines = ctx.services.mates.map(
      (m) =>
        `${m.name}${m.name === room.defaultMate ? ' (default here)' : ''} — ${m.backend}/${m.profile}, ${m.scope}`,
    );
    await ctx.reply(['Mates:', ...lines].join('\n'));
  },
};

const mate: Command = {
  name: 'mate',
  summary: "Choose the room's default mate.",
  args: [{ name: 'name', required: true }],
  permission: 'room-admin',
  async run(ctx) {
    const chosen = await targetMate(ctx, ctx.args.name);
    if (!chosen) return;
    await ctx.services.state.updateRoom(ctx.services.roomKey(ctx.message), { defaultMate: chosen.name });
    await ctx.reply(`${chosen.name} is now this room's default mate.`);
  },
};

const profile: Command = {
  name: 'profile',
  summary: 'Choose the workload profile a mate uses in this conversation.',
  args: [
    { name: 'name', required: false },
    { name: 'mate', required: false },
  ],
  permission: 'anyone',
  async run(ctx) {
    const chosenMate = await targetMate(ctx);
    if (!chosenMate) return;
    const allowed = [chosenMate.profile, ...chosenMate.profiles.filter((p) => p !== chosenMate.profile)];
    const key = ctx.services.conversationKey(ctx.message, chosenMate);
    const wanted = ctx.args.name;
    if (!wanted) {
      const current = (await ctx.services.state.conversation(key)).profile ?? chosenMate.profile;
      return ctx.reply(`${chosenMate.name} uses profile ${current} here. Allowed: ${allowed.join(', ')}.`);
    }
    if (!allowed.includes(wanted)) {
      return ctx.reply(`${chosenMate.name} cannot use profile "${wanted}". Allowed: ${allowed.join(', ')}.`);
    }
    await ctx.services.state.updateConversation(key, { profile: wanted });
    await ctx.reply(`${chosenMate.name} now uses profile ${wanted} in this conversation.`);
  },
};

const save: Command = {
  name: 'save',
  summary: 'Save this conversation under a name, to return to with rollback (shared in the room).',
  args: [
    { name: 'name', required: true },
    { name: 'mate', required: false },
  ],
  permission: 'anyone',
  async run(ctx) {
    const name = ctx.args.name as string;
    if (!SNAPSHOT_NAME.test(name))
      return ctx.reply('A snapshot name is 1 to 64 letters, digits, "_", "." or "-".');
    const chosenMate = await targetMate(ctx);
    if (!chosenMate) return;
    const conversation = ctx.services.conversationKey(ctx.message, chosenMate);
    const { since, restored } = await ctx.services.state.conversation(conversation);
    const { sender, timestamp } = ctx.message;
    // What was restored, then the live part up to now.
    const live = { from: since, to: timestamp, conversation, userId: sender.id };
    await ctx.services.state.saveSnapshot(ctx.services.roomKey(ctx.message), {
      name,
      mate: chosenMate.name,
      segments: [...restored, live],
      savedBy: sender.name,
      savedAt: timestamp,
    });
    await ctx.reply(`💾 Saved "${name}". ${ctx.prefix}rollback ${name} returns to this point.`);
  },
};

const rollback: Command = {
  name: 'rollback',
  summary: 'Return to a saved point: the mate forgets what came after it.',
  args: [{ name: 'name', required: true }],
  permission: 'anyone',
  async run(ctx) {
    const name = ctx.args.name as string;
    const snapshot = await ctx.services.state.snapshot(ctx.services.roomKey(ctx.message), name);
    if (!snapshot) return ctx.reply(`No snapshot "${name}" in this room. ${ctx.prefix}snapshots lists them.`);
    const chosenMate = await ctx.services.mateFor(ctx.message, snapshot.mate);
    if (!chosenMate) {
      return ctx.reply(
        `Snapshot "${snapshot.name}" belongs to ${snapshot.mate}, who is no longer configured.`,
      );
    }
    await ctx.services.state.updateConversation(ctx.services.conversationKey(ctx.message, chosenMate), {
      since: ctx.message.timestamp,
      restored: snapshot.segments,
    });
    await ctx.reply(`⏪ Back at "${snapshot.name}" with ${chosenMate.name}.`);
  },
};

const snapshots: Command = {
  name: 'snapshots',
  summary: 'List the saved points of this room.',
  args: [],
  permission: 'anyone',
  async run(ctx) {
    const list = await ctx.services.state.snapshots(ctx.services.roomKey(ctx.message));
    if (list.length === 0)
      return ctx.reply(`No snapshots in this room yet. ${ctx.prefix}save NAME makes one.`);
    const lines = list.map(
      (s) => `${s.name} — ${s.mate}, saved by ${s.savedBy} ${new Date(s.savedAt).toISOString()}`,
    );
    await ctx.reply(['Snapshots:', ...lines].join('\n'));
  },
};

const status: Command = {
  name: 'status',
  summary: 'Queue depth, busy workers and your place in the queue.',
  args: [],
  permission: 'anyone',
  async run(ctx) {
    const lines = ctx.services.scheduler
      .stats()
      .map(
        (s) =>
          `${s.backend}/${s.profile}: ${s.running} running, ${s.waiting} waiting, ${s.workersAlive}/${s.workers} workers alive`,
      );
    const position = ctx.services.scheduler.positionOf(`${ctx.message.transport}:${ctx.message.sender.id}`);
    lines.push(
      position > 0 ? `Your next request is #${position} in the queue.` : 'You have nothing waiting.',
    );
    await ctx.reply(lines.join('\n'));
  },
};

const bots: Command = {
  name: 'bots',
  summary: 'Let the mates answer each other in this room (on), or not (off).',
  args: [{ name: 'mode', required: true }],
  permission: 'room-admin',
  async run(ctx) {
    const mode = ctx.args.mode?.toLowerCase();
    if (mode !== 'on' && mode !== 'off') return ctx.reply(`Usage: ${ctx.prefix}bots on|off`);
    await ctx.services.state.updateRoom(ctx.services.roomKey(ctx.message), { botToBot: mode === 'on' });
    await ctx.reply(
      mode === 'on' ? 'Mates may now answer each other here.' : 'Mates no longer answer each other here.',
    );
  },
};

/** The built-in commands: help, start, stop, reset, mates, mate, profile, save, rollback, snapshots, status, bots. */
export const builtinCommands: CommandPlugin<EngineServices> = {
  name: 'builtin',
  commands: () => [help, start, stop, reset, mates, mate, profile, save, rollback, snapshots, status, bots],
};
