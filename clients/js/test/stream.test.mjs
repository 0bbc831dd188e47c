// Against the real stack: every stored message shown once, in order, through crashes, gaps and retries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { client, control, env, range, seqsIn, stackMissing, until, user } from './support.mjs';

test('an edge node killed and restarted mid-stream: every message shown once and in order, the send made during the outage stored once', { skip: stackMissing, timeout: 600_000 }, async () => {
  const alice = client(user('alice'), { edgeUrl: env.killableEdge });
  const bob = client(user('bob'));
  try {
    await alice.connect();
    const conversation = await alice.createConversation([user('bob')], 'crash');
    const id = conversation.conversationId;
    const total = 40;
    // bob sends all the while (HTTP only: he never connects, so his sends never wait).
    const bobSends = (async () => {
      for (let i = 1; i <= total; i++) await bob.send(id, `bob ${i}`);
    })();
    await until('alice to show 10 messages before the kill', () => seqsIn(alice, id).length >= 10);
    await control('kill');
    await until('alice to notice the kill', () => alice.state !== 'connected');
    const duringOutage = alice.send(id, 'sent while the edge was down');
    await control('restart');
    await bobSends;
    const mine = await duringOutage;
    await until(`alice to show all ${total + 1}`, () => seqsIn(alice, id).length >= total + 1);
    await until('a quiet moment for late duplicates', async () => (await alice.sync(), true));
    assert.deepEqual(seqsIn(alice, id), range(1, total + 1));
    const history = await alice.history(id, { after: 0, limit: 100 });
    assert.equal(history.messages.filter((m) => m.body === 'sent while the edge was down').length, 1);
    assert.equal(history.messages.find((m) => m.body === 'sent while the edge was down').seq, mine.seq);
    assert.ok(alice.states.some((s) => s.state === 'disconnected'), 'alice was disconnected');
    console.log(`# edge crash: ${alice.shown.filter((m) => m.via === 'sync').length} of ${total + 1} shown by sync, ${alice.states.filter((s) => s.state === 'connected').length} connections`);
  } finally {
    alice.close();
    bob.close();
  }
});

test('an edge node stopped gracefully: the client honours draining, reconnects and shows every message once', { skip: stackMissing, timeout: 600_000 }, async () => {
  const frames = [];
  const gina = client(user('gina'), { edgeUrl: env.killableEdge, frameFilter: (f) => (frames.push(f.type), true) });
  const hank = client(user('hank'));
  try {
    await gina.connect();
    const { conversationId: id } = await gina.createConversation([user('hank')], 'drain');
    for (let i = 1; i <= 5; i++) await hank.send(id, `hank ${i}`);
    await until('gina to show 5', () => seqsIn(gina, id).length >= 5);
    await control('stop');
    assert.ok(frames.includes('draining'), `a draining frame came before the node stopped: ${frames}`);
    for (let i = 6; i <= 10; i++) await hank.send(id, `hank ${i}`);
    await control('restart');
    await until('gina to show 10', () => seqsIn(gina, id).length >= 10);
    await gina.sync();
    assert.deepEqual(seqsIn(gina, id), range(1, 10));
    assert.ok(gina.states.some((s) => s.state === 'disconnected'), 'gina was disconnected');
  } finally {
    gina.close();
    hank.close();
  }
});

test('a push dropped on the way is filled in by sync, in order', { skip: stackMissing, timeout: 300_000 }, async () => {
  let dropped = 0;
  const carol = client(user('carol'), {
    frameFilter: (frame) => !(frame.type === 'message' && frame.message.seq === 3 && dropped++ === 0),
  });
  const dan = client(user('dan'));
  try {
    await carol.connect();
    const { conversationId: id } = await carol.createConversation([user('dan')], 'gap');
    for (let i = 1; i <= 6; i++) await dan.send(id, `dan ${i}`);
    await until('carol to show 6 messages', () => seqsIn(carol, id).length >= 6);
    await carol.sync();
    assert.equal(dropped >= 1, true, 'the push of seq 3 was dropped');
    assert.deepEqual(seqsIn(carol, id), range(1, 6));
    assert.equal(carol.shown.find((m) => m.conversationId === id && m.seq === 3).via, 'sync');
  } finally {
    carol.close();
    dan.close();
  }
});

test('a send whose answer was lost is retried with the same Idempotency-Key and stored once', { skip: stackMissing, timeout: 300_000 }, async () => {
  const keys = [];
  let failures = 0;
  const flaky = async (url, init) => {
    if (init.method === 'POST' && url.endsWith('/messages') && init.headers['Idempotency-Key']) {
      keys.push(init.headers['Idempotency-Key']);
      if (failures === 0) {
        failures++;
        await fetch(url, init); // the server stores it…
        throw new TypeError('connection reset'); // …and the answer never arrives
      }
      if (failures === 1) {
        failures++;
        throw new TypeError('connection refused'); // the next try does not even get there
      }
    }
    return fetch(url, init);
  };
  const erin = client(user('erin'), { fetch: flaky });
  try {
    const { conversationId: id } = await erin.createConversation([], 'retry');
    const result = await erin.send(id, 'once only', { meta: { n: 1 } });
    assert.equal(keys.length, 3);
    assert.equal(new Set(keys).size, 1, `one key across retries: ${keys}`);
    assert.equal(result.seq, 1);
    assert.equal(result.replayed, true);
    const history = await erin.history(id, { after: 0 });
    assert.deepEqual(history.messages.map((m) => m.body), ['once only']);
  } finally {
    erin.close();
  }
});

test('sends queued while offline go out in order once connected', { skip: stackMissing, timeout: 300_000 }, async () => {
  const frank = client(user('frank'));
  try {
    const { conversationId: id } = await frank.createConversation([], 'queue');
    const connecting = frank.connect();
    const sends = [1, 2, 3, 4, 5].map((i) => frank.send(id, `queued ${i}`));
    assert.notEqual(frank.state, 'connected');
    await connecting;
    const results = await Promise.all(sends);
    assert.deepEqual(results.map((r) => r.seq), [1, 2, 3, 4, 5]);
    await until('frank to see his own five', () => seqsIn(frank, id).length >= 5);
    assert.deepEqual(frank.shown.filter((m) => m.conversationId === id).map((m) => m.body), [1, 2, 3, 4, 5].map((i) => `queued ${i}`));
  } finally {
    frank.close();
  }
});
