// The send queue's FIFO: parts put back at the front keep their order, into the slots already
// shifted out or by rebuilding the array.
import { Fifo } from '../../../src/transport/smpp/fifo';

describe('Fifo', () => {
  it('puts items back at the front in order, whether they fit before the head or not', () => {
    const fifo = new Fifo<string>();
    for (const item of ['a', 'b', 'c', 'd', 'e']) fifo.push(item);
    expect([fifo.shift(), fifo.shift()]).toEqual(['a', 'b']);
    fifo.unshiftAll(['x', 'y']);
    expect([...fifo.values()]).toEqual(['x', 'y', 'c', 'd', 'e']);
    expect(fifo.shift()).toBe('x');
    fifo.unshiftAll(['p', 'q', 'r']);
    expect([...fifo.values()]).toEqual(['p', 'q', 'r', 'y', 'c', 'd', 'e']);
    expect(fifo.length).toBe(7);
    expect(fifo.drain()).toEqual(['p', 'q', 'r', 'y', 'c', 'd', 'e']);
    expect(fifo.shift()).toBeUndefined();
  });
});
