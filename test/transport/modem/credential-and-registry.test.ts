/** The GSM Modem credential test and the process-wide modem registry, against the simulator. */
process.env.SMS_GATEWAY_IDLE_CLOSE_MS = '0';
import type { ICredentialTestFunctions } from 'n8n-workflow';
import { GsmModemApi } from '../../../credentials/GsmModemApi.credentials';
import { acquireModem, closeAllModems, modemKey, modemRegistryUsers } from '../../../src/registry/modem-registry';
import { describeOpenError } from '../../../src/transport/modem';
import { gsmModemApiTest } from '../../../nodes/shared/credentials/modem-credential-test';
import { testModemConnection } from '../../../src/transport/modem/credential-test';
import { startSimulatedModem } from '../../../src/transport/modem/simulator';
import type { SimulatedModem } from '../../../src/transport/modem/simulator';

function credentialTest(data: Record<string, unknown>) {
  return gsmModemApiTest.call({} as ICredentialTestFunctions, { id: '1', name: 'modem', type: 'gsmModemApi', data: data as never });
}

describe('gsmModemApiTest', () => {
  let sim: SimulatedModem;
  afterEach(async () => {
    await closeAllModems();
    await sim?.stop();
  });

  it('reports SIM ready, the network and the signal', async () => {
    sim = await startSimulatedModem({ pin: '1357', operatorName: 'Test Net', rssi: 25 });
    const result = await credentialTest({ devicePath: sim.path, baudRate: 115200, pin: '1357' });
    expect(result).toEqual({
      status: 'OK',
      message: 'n8n-nodes-sms-gateway GSM modem simulator (firmware 1.0): SIM ready, registered on Test Net (home network), signal -63 dBm',
    });
  });

  it('reports a wrong PIN without showing it', async () => {
    sim = await startSimulatedModem({ pin: '1357' });
    const result = await credentialTest({ devicePath: sim.path, pin: '9999' });
    expect(result.status).toBe('Error');
    expect(result.message).toMatch(/the SIM card rejected the PIN/);
    expect(result.message).not.toContain('9999');
  });

  it('reports no network service', async () => {
    sim = await startSimulatedModem({ registration: 3 });
    const result = await credentialTest({ devicePath: sim.path });
    expect(result).toMatchObject({
      status: 'Error',
      message: expect.stringMatching(/: SIM ready, but no network service: registration denied by the network/),
    });
  });

  it('reports a device that does not exist', async () => {
    sim = await startSimulatedModem();
    const result = await credentialTest({ devicePath: `${sim.path}-missing` });
    expect(result).toMatchObject({
      status: 'Error',
      message: expect.stringMatching(/^the serial device .*-missing does not exist: is the modem plugged in\?/),
    });
  });

  it('reports a port that answers nothing', async () => {
    sim = await startSimulatedModem();
    sim.simulator.setSilent(true);
    const result = await testModemConnection({ path: sim.path, commandTimeoutMs: 200 });
    expect(result).toMatchObject({ status: 'Error', message: expect.stringMatching(/^no answer to AT from .* at 115200 baud: is this the modem's AT port/) });
  });

  it('rejects an empty device path naming the field', async () => {
    sim = await startSimulatedModem();
    await expect(credentialTest({ devicePath: ' ' })).resolves.toEqual({ status: 'Error', message: expect.stringMatching(/^Device Path is empty/) });
  });

  it('does not re-open a modem that active workflows hold', async () => {
    sim = await startSimulatedModem();
    const lease = await acquireModem({ path: sim.path, keepAliveMs: 0 });
    const result = await credentialTest({ devicePath: sim.path });
    expect(result).toMatchObject({ status: 'OK', message: expect.stringMatching(/is open and in use by active workflows/) });
    await lease.release();
  });

  it("maps permission and busy errors to advice (serialport's own wording)", () => {
    expect(describeOpenError('/dev/ttyUSB0', new Error('Error: Permission denied, cannot open /dev/ttyUSB0'))).toMatchObject({
      code: 'permission',
      message: expect.stringMatching(/dialout/),
    });
    expect(describeOpenError('/dev/ttyUSB0', new Error('Error Resource temporarily unavailable Cannot lock port'))).toMatchObject({ code: 'busy' });
  });

  it('declares the credential fields with the PIN as a password', () => {
    const credential = new GsmModemApi();
    expect(credential.name).toBe('gsmModemApi');
    expect(credential.displayName).toBe('GSM Modem');
    expect(credential.properties.map((p) => p.name)).toEqual(['devicePath', 'baudRate', 'pin', 'smsc', 'defaultCountry']);
    expect(credential.properties.find((p) => p.name === 'pin')?.typeOptions).toEqual({ password: true });
  });
});

describe('modem registry', () => {
  it('shares one open port per device path and closes it when the last user lets go', async () => {
    const sim = await startSimulatedModem();
    try {
      const a = await acquireModem({ path: sim.path, keepAliveMs: 0 });
      const b = await acquireModem({ path: `${sim.path}/`, keepAliveMs: 0 });
      expect(b.resource).toBe(a.resource);
      expect(modemRegistryUsers({ path: sim.path })).toBe(2);
      expect(sim.simulator.commands.filter((c) => c === 'AT+CMGF=0')).toHaveLength(1);
      await a.resource.send({ to: '+4915112345678', text: 'shared' });
      await a.release();
      expect(a.resource.state).toBe('ready');
      await b.release();
      expect(b.resource.state).toBe('closed');
      expect(modemKey({ path: `${sim.path}//` })).toBe(sim.path);
    } finally {
      await closeAllModems();
      await sim.stop();
    }
  });
});
