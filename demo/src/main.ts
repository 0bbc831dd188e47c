// The demo chat: every piece of state the page shows comes from the SDK's events and calls.
import { LocalStorageCursorStore, RelayClient } from '../../clients/js/src/index.js';
import type { InboxEntry, Message, StateChange } from '../../clients/js/src/index.js';

interface Config { ingestUrl: string; syncUrl: string; edgeUrl: string }

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const config: Config = await (await fetch('config.json')).json();

let client: RelayClient;
let me = '';
let selected: string | undefined;
let inbox: InboxEntry[] = [];
const messages = new Map<string, Map<number, Message>>();
const readBy = new Map<string, Map<string, number>>();
const typing = new Map<string, { user: string; until: number }>();
let lastTypingSent = 0;

async function devToken(userId: string): Promise<string> {
  const response = await fetch(`${config.ingestUrl}/v1/dev/tokens`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ userId }),
  });
  if (!response.ok) throw new Error(`dev token: ${response.status}`);
  return (await response.json()).token;
}

$('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  me = $<HTMLInputElement>('user').value.trim();
  const device = sessionStorage.getItem('relay.device') ?? `web-${crypto.randomUUID().slice(0, 8)}`;
  sessionStorage.setItem('relay.device', device);
  client = new RelayClient({
    ...config, device, token: () => devToken(me),
    store: new LocalStorageCursorStore(`relay.cursors.${me}.${device}`),
  });
  client.on('state', showState);
  client.on('message', (m) => {
    remember(m);
    if (m.conversationId === selected) {
      typing.delete(m.conversationId);
      renderMessages();
      void client.markRead(m.conversationId, m.seq);
    }
    void refreshInbox();
  });
  client.on('signal', (s) => {
    if (s.senderId !== me && (s.meta as { typing?: boolean } | null)?.typing) {
      typing.set(s.conversationId, { user: s.senderId, until: Date.now() + 3000 });
      renderTyping();
    }
  });
  client.on('receipt', (r) => {
    if (r.userId === me) return;
    const users = readBy.get(r.conversationId) ?? new Map<string, number>();
    users.set(r.userId, Math.max(users.get(r.userId) ?? 0, r.readSeq));
    readBy.set(r.conversationId, users);
    if (r.conversationId === selected) renderMessages();
  });
  client.on('membership', () => void refreshInbox());
  client.on('error', (e) => console.warn('relay:', e.message));
  $('login').style.display = 'none';
  $('app').classList.add('on');
  $('me').textContent = me;
  await client.connect();
  await refreshInbox();
});

$('create').addEventListener('submit', async (event) => {
  event.preventDefault();
  const members = $<HTMLInputElement>('members').value.split(',').map((s) => s.trim()).filter(Boolean);
  const conversation = await client.createConversation(members, $<HTMLInputElement>('new-title').value.trim() || members.join(', '));
  $<HTMLInputElement>('members').value = '';
  $<HTMLInputElement>('new-title').value = '';
  await refreshInbox();
  await select(conversation.conversationId);
});

$('composer').addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = $<HTMLInputElement>('text');
  const body = input.value.trim();
  if (!body || !selected) return;
  input.value = '';
  const conversationId = selected;
  const sent = await client.send(conversationId, body);
  void client.markRead(conversationId, sent.seq);
});

$('text').addEventListener('input', () => {
  // Typing is a live signal: at-most-once, never stored; at most one per two seconds.
  if (selected && Date.now() - lastTypingSent > 2000) {
    lastTypingSent = Date.now();
    void client.send(selected, '', { qos: 'at-most-once', meta: { typing: true } }).catch(() => undefined);
  }
});

setInterval(renderTyping, 500);
// Pushes keep the inbox current; this only covers a conversation created while its push was in flight.
setInterval(() => void (client && refreshInbox().catch(() => undefined)), 5000);

function showState(change: StateChange): void {
  const badge = $('state');
  badge.dataset.state = change.state;
  badge.textContent = change.state + (change.state === 'disconnected' && change.retryInMs !== undefined
    ? ` (retry in ${Math.ceil(change.retryInMs / 1000)} s)` : '');
}

function remember(m: Message): void {
  let list = messages.get(m.conversationId);
  if (!list) {
    list = new Map();
    messages.set(m.conversationId, list);
  }
  list.set(m.seq, m);
}

async function refreshInbox(): Promise<void> {
  inbox = (await client.conversations({ limit: 50 })).conversations;
  const list = $('inbox');
  list.replaceChildren(...inbox.map((c) => {
    const item = document.createElement('li');
    item.dataset.testid = 'conversation';
    item.dataset.conversationId = c.conversationId;
    item.classList.toggle('selected', c.conversationId === selected);
    const title = document.createElement('span');
    title.textContent = c.title || c.conversationId;
    item.append(title);
    const unread = c.conversationId === selected ? 0 : c.unread;
    if (unread > 0) {
      const badge = document.createElement('span');
      badge.className = 'unread';
      badge.dataset.testid = 'unread';
      badge.textContent = String(unread);
      item.append(badge);
    }
    item.addEventListener('click', () => void select(c.conversationId));
    return item;
  }));
}

async function select(conversationId: string): Promise<void> {
  selected = conversationId;
  const entry = inbox.find((c) => c.conversationId === conversationId);
  $('title').textContent = entry?.title || conversationId;
  $<HTMLInputElement>('text').disabled = false;
  $<HTMLButtonElement>('send').disabled = false;
  // History covers what this device showed before a reload (the cursors are kept in localStorage).
  const page = await client.history(conversationId, { before: (entry?.lastSeq ?? 0) + 1, limit: 50 });
  page.messages.forEach(remember);
  renderMessages();
  const last = Math.max(0, ...(messages.get(conversationId)?.keys() ?? []));
  if (last > 0) await client.markRead(conversationId, last);
  await refreshInbox();
}

function renderMessages(): void {
  const box = $('messages');
  const list = [...(messages.get(selected ?? '')?.values() ?? [])].sort((a, b) => a.seq - b.seq);
  const nodes: HTMLElement[] = [];
  const readers = readBy.get(selected ?? '') ?? new Map<string, number>();
  const lastMine = list.filter((m) => m.senderId === me).at(-1);
  for (const m of list) {
    const bubble = document.createElement('div');
    bubble.className = m.senderId === me ? 'msg mine' : 'msg';
    bubble.dataset.testid = 'message';
    const who = document.createElement('div');
    who.className = 'who';
    who.textContent = `${m.senderId} · #${m.seq}`;
    const text = document.createElement('div');
    text.textContent = m.body;
    bubble.append(who, text);
    nodes.push(bubble);
    if (m === lastMine) {
      const seenBy = [...readers].filter(([, seq]) => seq >= m.seq).map(([user]) => user);
      if (seenBy.length > 0) {
        const seen = document.createElement('div');
        seen.className = 'seen';
        seen.dataset.testid = 'seen';
        seen.textContent = `Seen by ${seenBy.join(', ')}`;
        nodes.push(seen);
      }
    }
  }
  box.replaceChildren(...nodes);
  box.scrollTop = box.scrollHeight;
}

function renderTyping(): void {
  const now = typing.get(selected ?? '');
  $('typing').textContent = now && now.until > Date.now() ? `${now.user} is typing…` : '';
}
