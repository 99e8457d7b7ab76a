// A TypeScript consumer of the npm package: `tsc --noEmit` checks that the declarations describe
// the whole API, the Report's shape included (scripts/build-package runs it).
import init, { Verifier, TrustList, verify, version } from 'dcc-verifier';
import type { Report, Check, Status, VerifyOptions, SkippedEntry } from 'dcc-verifier';
import { Verifier as NodeVerifier } from 'dcc-verifier/node';
import initQr, { scanQr } from 'dcc-verifier/qr';

export async function check(text: string, trust: Uint8Array, frame: ImageData): Promise<Status> {
  await init();
  await initQr();
  const verifier: Verifier = new Verifier();
  verifier.addTrust(trust);
  verifier.addTrust('{"certificates": []}');
  const list = new TrustList(trust);
  verifier.addTrustList(list);
  const skipped: SkippedEntry[] = list.skipped;
  const countries: string[] = list.countries;
  const options: VerifyOptions = { now: new Date() };
  const report: Report = verifier.verify(text, options);
  const first: Check = report.checks[0];
  const failed: string[] = report.checks.filter((c) => c.result === 'fail').map((c) => c.detail);
  const name: string | undefined = report.certificate?.nam?.fn;
  const country: string | null = report.signer?.country ?? report.issuer_country;
  const scanned: string | undefined = scanQr(new Uint8ClampedArray(frame.data), frame.width, frame.height);
  const plain: Report = verify(scanned ?? text, { now: Date.now() });
  const fromNode: number = new NodeVerifier().trustSize;
  void [skipped, countries, first, failed, name, country, plain, fromNode, version(), verifier.trustSize];
  // @ts-expect-error: a status is one of the six words.
  const wrong: Status = 'ok';
  void wrong;
  return report.status;
}
