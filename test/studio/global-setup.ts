// Before the browser tests: Debian's Chromium, installed with apt when missing (as root), outside
// any test's timeout.
import { ensureChromium } from '../../scripts/studio-browser';

export default function setup(): void {
  ensureChromium((line) => console.log(line));
}
