export function isTaken(port: number): Promise<boolean>;
export function listeningProcess(port: number): { pid: number; command: string } | null;
export function describeHolder(port: number): Promise<string>;
export function assertPortsFree(ports: Array<{ port: number; envVar: string; what: string }>): Promise<void>;
