/**
 * Thrown for a PDU we cannot build (bad input, naming the field) or cannot read (truncated or
 * malformed hex from the modem, naming the field and the octet offset).
 */
export class PduError extends Error {
  constructor(
    message: string,
    readonly field: string,
    readonly offset?: number,
  ) {
    super(message);
    this.name = 'PduError';
  }
}
