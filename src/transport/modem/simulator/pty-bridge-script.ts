/**
 * The Python program behind PtyBridge. Node cannot create a pseudo-terminal without a native
 * addon, but python3 (on every Linux and macOS machine of this kind) can: it opens a pty, links
 * the slave side at the requested path (like socat's link=), and copies bytes between the pty
 * master and its stdin/stdout. Commands on fd 3: "vanish" closes the pty and removes the link
 * (a USB modem unplugged), "return" opens a new pty at the same path. Status goes to stderr.
 * It keeps its own slave descriptor open so the master never sees a hang-up while the device
 * "exists" but nobody has opened it.
 */
export const PTY_BRIDGE_SCRIPT = String.raw`
import os, sys, tty, select
link = sys.argv[1]

def open_pty():
    master, slave = os.openpty()
    tty.setraw(slave)
    temp = link + '.new'
    try:
        os.unlink(temp)
    except FileNotFoundError:
        pass
    os.symlink(os.ttyname(slave), temp)
    os.replace(temp, link)
    return master, slave

def remove_link():
    try:
        os.unlink(link)
    except FileNotFoundError:
        pass

master, slave = open_pty()
os.write(2, b'ready\n')
control = b''
running = True
while running:
    watched = [0, 3] + ([master] if master is not None else [])
    readable, _, _ = select.select(watched, [], [])
    if 0 in readable:
        data = os.read(0, 4096)
        if not data:
            break
        if master is not None:
            os.write(master, data)
    if master is not None and master in readable:
        try:
            data = os.read(master, 4096)
        except OSError:
            data = b''
        if data:
            os.write(1, data)
    if 3 in readable:
        data = os.read(3, 256)
        if not data:
            break
        control += data
        while b'\n' in control:
            line, control = control.split(b'\n', 1)
            if line == b'vanish' and master is not None:
                remove_link()
                os.close(master)
                os.close(slave)
                master = slave = None
                os.write(2, b'vanished\n')
            elif line == b'return' and master is None:
                master, slave = open_pty()
                os.write(2, b'ready\n')
            elif line == b'quit':
                running = False
remove_link()
`;
