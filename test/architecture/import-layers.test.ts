/**
 * The import rules of eslint.layers.mjs catch what they promise: each case is a file written on
 * the spot (never saved) at a real path of the tree, linted by ESLint with the project's own
 * config, and the rule that must answer is named. One ESLint process lints every case, so the
 * config and the TypeScript resolver load once. `npm run lint` checks the tree itself in CI.
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

interface LintCase {
  name: string;
  /** Where the file would stand, from the repository root. */
  filePath: string;
  code: string;
}

interface LintFinding {
  ruleId: string | null;
  message: string;
}

const CASES: LintCase[] = [
  {
    name: 'src imports n8n-workflow',
    filePath: 'src/transport/modem/probe.ts',
    code: "import type { INodeCredentialTestResult } from 'n8n-workflow';\nexport type Result = INodeCredentialTestResult;\n",
  },
  {
    name: 'src imports n8n-core',
    filePath: 'src/gateway/probe.ts',
    code: "import { BinaryDataService } from 'n8n-core';\nexport const service = BinaryDataService;\n",
  },
  {
    name: 'src imports nodes/',
    filePath: 'src/gateway/probe.ts',
    code: "import { FieldError } from '../../nodes/shared/errors/field-error';\nexport const error = new FieldError('to', 'empty');\n",
  },
  {
    name: 'src imports credentials/',
    filePath: 'src/registry/probe.ts',
    code: "import { SmppApi } from '../../credentials/SmppApi.credentials';\nexport const credential = new SmppApi();\n",
  },
  // The mutual import removed on 2026-12-02: dlr/ tracked modems through GsmModem's type.
  {
    name: 'dlr imports the modem transport (a type)',
    filePath: 'src/dlr/probe.ts',
    code: "import type { GsmModem } from '../transport/modem/gsm-modem';\nexport type Modem = GsmModem;\n",
  },
  {
    name: 'the modem transport imports the registry',
    filePath: 'src/transport/modem/probe.ts',
    code: "import { modemRegistryUsers } from '../../registry/modem-registry';\nexport const users = modemRegistryUsers;\n",
  },
  {
    name: 'encoding imports the SMPP transport',
    filePath: 'src/encoding/probe.ts',
    code: "import { SmppTransport } from '../transport/smpp/smpp-transport';\nexport const transport = SmppTransport;\n",
  },
  { name: 'the sandbox imports the command line', filePath: 'src/sandbox/probe.ts', code: "export const load = () => import('../cli/main');\n" },
  {
    name: "one node imports another node's folder",
    filePath: 'nodes/SendSms/probe.ts',
    code: "import { issueProperties } from '../OtpIssue/issue-properties';\nexport const properties = issueProperties;\n",
  },
  // receipt-or-message.ts replaced by an import of a file that imports it.
  {
    name: 'an import cycle',
    filePath: 'src/transport/smpp/receipt-format/receipt-or-message.ts',
    code: "import { InboundDispatcher } from '../inbound-dispatcher';\nexport const dispatcher = InboundDispatcher;\n",
  },
  // Moved below on 2026-12-03: the receipt format under transport/smpp, the pool and Redis clients out of registry/.
  {
    name: 'the SMPP transport imports dlr/',
    filePath: 'src/transport/smpp/probe.ts',
    code: "import { receiptFromPdu } from '../../dlr/receipt-pdu';\nexport const read = receiptFromPdu;\n",
  },
  {
    name: 'dlr imports the registry',
    filePath: 'src/dlr/probe.ts',
    code: "import { smppRegistryUsers } from '../registry/smpp-registry';\nexport const users = smppRegistryUsers;\n",
  },
  {
    name: 'a node imports a file inside a src module',
    filePath: 'nodes/SendSms/probe.ts',
    code: "import { prepareSms } from '../../src/gateway/prepare-message';\nexport const prepare = prepareSms;\n",
  },
  {
    name: 'a credential imports a file inside the SMPP transport',
    filePath: 'credentials/probe.ts',
    code: "import { SmppBindPool } from '../src/transport/smpp/bind-pool';\nexport const pool = SmppBindPool;\n",
  },
  {
    name: 'a node imports src modules through their entries',
    filePath: 'nodes/SendSms/probe.ts',
    code: "import { prepareSms } from '../../src/gateway';\nimport { SmppBindPool } from '../../src/transport/smpp';\nexport const used = [prepareSms, SmppBindPool];\n",
  },
  {
    name: 'an allowed import (gateway -> encoding)',
    filePath: 'src/gateway/probe.ts',
    code: "import { encodeMessage } from '../encoding';\nexport const encode = encodeMessage;\n",
  },
];

/** Lints every case in one ESLint process (ESLint's config is ESM: loaded outside jest). */
function lintCases(cases: LintCase[]): Promise<LintFinding[][]> {
  const script = `
    import { ESLint } from 'eslint';
    const cases = JSON.parse(process.env.LINT_CASES);
    const eslint = new ESLint({ cwd: process.cwd() });
    const out = [];
    for (const c of cases) {
      const [result] = await eslint.lintText(c.code, { filePath: c.filePath });
      out.push(result.messages.map((m) => ({ ruleId: m.ruleId, message: m.message })));
    }
    process.stdout.write(JSON.stringify(out));
  `;
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', script],
      { cwd: ROOT, env: { ...process.env, LINT_CASES: JSON.stringify(cases) }, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`eslint failed: ${stderr || err.message}`));
        else resolve(JSON.parse(stdout) as LintFinding[][]);
      },
    );
  });
}

describe('import layers (eslint.layers.mjs)', () => {
  let findings: Map<string, LintFinding[]>;
  beforeAll(async () => {
    const results = await lintCases(CASES);
    findings = new Map(CASES.map((c, i) => [c.name, results[i]]));
  }, 180_000);

  const rulesOf = (name: string): string[] => (findings.get(name) ?? []).map((f) => f.ruleId ?? 'parse error');

  it('refuses n8n packages in src/', () => {
    expect(rulesOf('src imports n8n-workflow')).toContain('no-restricted-imports');
    expect(rulesOf('src imports n8n-core')).toContain('no-restricted-imports');
  });

  it('refuses nodes/ and credentials/ in src/', () => {
    expect(rulesOf('src imports nodes/')).toEqual(['import-x/no-restricted-paths']);
    expect(rulesOf('src imports credentials/')).toEqual(['import-x/no-restricted-paths']);
  });

  it('refuses an import against the layer order, type imports and import() included', () => {
    expect(rulesOf('dlr imports the modem transport (a type)')).toEqual(['import-x/no-restricted-paths']);
    expect(rulesOf('the modem transport imports the registry')).toEqual(['import-x/no-restricted-paths']);
    expect(rulesOf('encoding imports the SMPP transport')).toEqual(['import-x/no-restricted-paths']);
    expect(rulesOf('the sandbox imports the command line')).toEqual(['import-x/no-restricted-paths']);
    expect(findings.get('dlr imports the modem transport (a type)')?.[0].message).toMatch(/src\/dlr is below src\/transport\/modem/);
    expect(rulesOf('the SMPP transport imports dlr/')).toEqual(['import-x/no-restricted-paths']);
    expect(rulesOf('dlr imports the registry')).toEqual(['import-x/no-restricted-paths']);
  });

  it("refuses one node importing another node's folder", () => {
    expect(rulesOf("one node imports another node's folder")).toEqual(['import-x/no-restricted-paths']);
  });

  it("refuses a node or credential reaching past a src module's index.ts", () => {
    expect(rulesOf('a node imports a file inside a src module')).toEqual(['no-restricted-imports']);
    expect(rulesOf('a credential imports a file inside the SMPP transport')).toEqual(['no-restricted-imports']);
    expect(rulesOf('a node imports src modules through their entries')).toEqual([]);
  });

  it('refuses an import cycle', () => {
    expect(rulesOf('an import cycle')).toContain('import-x/no-cycle');
  });

  it('lets an import in the layer order through', () => {
    expect(rulesOf('an allowed import (gateway -> encoding)')).toEqual([]);
  });
});
