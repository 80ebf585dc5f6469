// The fake provider upstream as its own process for the proxy benchmark, so the load generator's
// event loop does not share a thread with it. Prints `{"port": N}` once listening; exits when its
// parent closes stdin.
import { startFakeUpstream } from '../test/proxy/support/fake-upstream';

const fake = await startFakeUpstream({ record: false });
process.stdout.write(`${JSON.stringify({ port: fake.port })}\n`);
process.stdin.resume();
process.stdin.on('end', () => void fake.close().then(() => process.exit(0)));
