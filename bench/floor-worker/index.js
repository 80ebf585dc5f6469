// The benchmark floor: the cheapest possible worker answering the same request with constant JSON
// of about a Decision's size. Whatever /v1/evaluate costs above this is the policy engine's cost.
const BODY = JSON.stringify({
  decision: 'allow',
  allowed: true,
  reasons: ['no rule matched: default allow'],
  matchedRules: [],
  warnings: [],
  obligations: [],
  bundle: { version: '1.0.0', hash: `sha256:${'0'.repeat(64)}` },
  evaluationMicros: 0,
  requestId: '00000000-0000-0000-0000-000000000000',
});

export default {
  async fetch(request) {
    // Read the body like the real worker does, so both pay for the same bytes on the wire.
    await request.arrayBuffer();
    return new Response(BODY, { headers: { 'content-type': 'application/json' } });
  },
};
