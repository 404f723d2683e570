// The package n8n loads in the e2e tests: this clone (built by global-setup.js), or another built
// copy named by SMS_GATEWAY_E2E_PACKAGE_DIR. Reads what its package.json declares to n8n.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface PackageUnderTest {
  dir: string;
  name: string;
  /** Paths (relative to dir) from package.json "n8n.nodes". */
  declaredNodeFiles: string[];
  /** Paths (relative to dir) from package.json "n8n.credentials". */
  declaredCredentialFiles: string[];
}

interface N8nSection {
  nodes?: string[];
  credentials?: string[];
}

export function packageUnderTest(): PackageUnderTest {
  const dir = path.resolve(process.env.SMS_GATEWAY_E2E_PACKAGE_DIR || path.join(__dirname, '..', '..', '..'));
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
    name: string;
    n8n?: N8nSection;
  };
  return {
    dir,
    name: manifest.name,
    declaredNodeFiles: manifest.n8n?.nodes ?? [],
    declaredCredentialFiles: manifest.n8n?.credentials ?? [],
  };
}

/** The `description.name` of every class a built file exports (node or credential classes). */
export function describedNames(dir: string, relativeFile: string): string[] {
  const file = path.join(dir, relativeFile);
  if (!fs.existsSync(file)) {
    throw new Error(`package.json declares ${relativeFile}, but ${file} does not exist: run "npm run build"`);
  }
  // The built CommonJS output, loaded the way n8n loads it.
  const exported = require(file) as Record<string, unknown>;
  const names: string[] = [];
  for (const value of Object.values(exported)) {
    if (typeof value !== 'function') continue;
    const instance = new (value as new () => { description?: { name?: string }; name?: string })();
    // Nodes carry description.name; credentials carry name.
    const name = instance.description?.name ?? instance.name;
    if (typeof name === 'string') names.push(name);
  }
  return names;
}
