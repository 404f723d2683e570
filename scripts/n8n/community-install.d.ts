// Types for community-install.js (plain CommonJS, like the other n8n scripts).

export const N8N_NPM_INSTALL_ARGS: string[];
export const N8N_STRIPPED_FIELDS: string[];
/** n8n's compiled installer, relative to the n8n package folder. */
export const N8N_INSTALLER_FILE: string;

export interface TarballInstall {
  name: string;
  version: string;
  /** `<user folder>/.n8n/nodes/node_modules/<name>` */
  packageDir: string;
  /** `<user folder>/.n8n/nodes` */
  nodesDir: string;
  registry: string;
  /** The npm arguments used for the dependency install, as n8n passes them. */
  npmArgs: string[];
  ms: number;
}

export function installTarballLikeN8n(options: {
  userFolder: string;
  tarball: string;
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}): Promise<TarballInstall>;
