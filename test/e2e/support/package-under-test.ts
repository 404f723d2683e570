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

interface DescribedClass {
  description?: { name?: string; usableAsTool?: boolean };
  name?: string;
}

/** Instances of every class a built file exports (node or credential classes). */
function exportedInstances(dir: string, relativeFile: string): DescribedClass[] {
  const file = path.join(dir, relativeFile);
  if (!fs.existsSync(file)) {
    throw new Error(`package.json declares ${relativeFile}, but ${file} does not exist: run "npm run build"`);
  }
  // The built CommonJS output, loaded the way n8n loads it.
  const exported = require(file) as Record<string, unknown>;
  return Object.values(exported)
    .filter((value): value is new () => DescribedClass => typeof value === 'function')
    .map((Class) => new Class());
}

/**
 * The type names n8n lists for the nodes in a built file: `description.name`, plus `<name>Tool`
 * for a node with `usableAsTool` (n8n derives an AI-tool variant of it).
 */
export function nodeTypeNames(dir: string, relativeFile: string): string[] {
  return exportedInstances(dir, relativeFile).flatMap(({ description }) => {
    if (!description || typeof description.name !== 'string') return [];
    return description.usableAsTool ? [description.name, `${description.name}Tool`] : [description.name];
  });
}

/** The `name` of every credential class in a built file. */
export function credentialTypeNames(dir: string, relativeFile: string): string[] {
  return exportedInstances(dir, relativeFile).flatMap(({ name }) => (typeof name === 'string' ? [name] : []));
}
