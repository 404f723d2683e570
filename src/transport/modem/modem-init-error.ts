/** Why a modem could not be made ready; `code` lets the credential test and nodes react. */
export type ModemInitErrorCode = 'no_answer' | 'sim_missing' | 'pin_required' | 'pin_wrong' | 'puk_required' | 'sim_failure' | 'init_failed';

export class ModemInitError extends Error {
  /** The modem that answered ("Quectel EC25 (firmware ...)"), when it got as far as saying. */
  modem?: string;

  constructor(
    message: string,
    readonly code: ModemInitErrorCode,
  ) {
    super(message);
    this.name = 'ModemInitError';
  }

  /** Trying again cannot help (and, for a wrong PIN, would burn the SIM's remaining attempts). */
  get permanent(): boolean {
    return this.code === 'pin_wrong' || this.code === 'puk_required' || this.code === 'pin_required';
  }
}
