/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * serial-test: the 16550A UART (isa-serial) as a guest driver sees it.
 * The line is a unix socket the test listens on: bytes the guest writes
 * to THR must arrive there, bytes the test sends must show up in RBR with
 * LSR.DR, IIR and ISA IRQ 4 (GSI 4 at the I/O APIC).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <glib/gstdio.h>
#include "libqtest.h"

#define COM1 0x3f8
#define COM2 0x2f8
#define RBR 0
#define IER 1
#define IIR 2
#define FCR 2
#define LCR 3
#define MCR 4
#define LSR 5
#define MSR 6
#define SCR 7

#define IO_TIMEOUT_US (10 * 1000 * 1000)

static char *tmpdir;

typedef struct Line {
    int listen_fd;
    int fd;
    char *path;
} Line;

static void line_listen(Line *l, const char *name)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };

    l->path = g_build_filename(tmpdir, name, NULL);
    g_assert_cmpuint(strlen(l->path), <, sizeof(addr.sun_path));
    strcpy(addr.sun_path, l->path);
    l->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    g_assert_cmpint(l->listen_fd, >=, 0);
    g_assert_cmpint(bind(l->listen_fd, (struct sockaddr *)&addr,
                         sizeof(addr)), ==, 0);
    g_assert_cmpint(listen(l->listen_fd, 1), ==, 0);
    l->fd = -1;
}

/* baton connected at start-up (a client chardev): take the connection. */
static void line_accept(Line *l)
{
    struct pollfd pfd = { .fd = l->listen_fd, .events = POLLIN };

    g_assert_cmpint(poll(&pfd, 1, IO_TIMEOUT_US / 1000), ==, 1);
    l->fd = accept(l->listen_fd, NULL, NULL);
    g_assert_cmpint(l->fd, >=, 0);
}

static void line_close(Line *l)
{
    if (l->fd >= 0) {
        close(l->fd);
    }
    close(l->listen_fd);
    unlink(l->path);
    g_free(l->path);
}

/* Exactly len bytes from the line, within the timeout. */
static void line_read(Line *l, char *buf, size_t len)
{
    gint64 deadline = g_get_monotonic_time() + IO_TIMEOUT_US;
    size_t got = 0;

    while (got < len) {
        struct pollfd pfd = { .fd = l->fd, .events = POLLIN };
        int left = (deadline - g_get_monotonic_time()) / 1000;
        ssize_t n;

        g_assert_cmpint(left, >, 0);
        if (poll(&pfd, 1, left) <= 0) {
            continue;
        }
        n = read(l->fd, buf + got, len - got);
        g_assert_cmpint(n, >, 0);
        got += n;
    }
}

static void line_write(Line *l, const char *s)
{
    g_assert_cmpint(write(l->fd, s, strlen(s)), ==, strlen(s));
}

/* Poll LSR (each read is a round trip) until DR, within the timeout. */
static void wait_data_ready(QTestState *qts, uint16_t base)
{
    gint64 deadline = g_get_monotonic_time() + IO_TIMEOUT_US;

    while (!(qtest_inb(qts, base + LSR) & 0x01)) {
        g_assert_cmpint(g_get_monotonic_time(), <, deadline);
    }
}

static QTestState *start_on_line(Line *l, const char *extra)
{
    QTestState *qts = qtest_initf("-M q35 -nodefaults "
                                  "-chardev socket,id=c0,path=%s "
                                  "-device isa-serial,chardev=c0,id=serial0 %s",
                                  l->path, extra);

    line_accept(l);
    qtest_irq_intercept_in(qts, "ioapic");
    return qts;
}

static void test_reset_values(void)
{
    QTestState *qts = qtest_init("-M q35 -nodefaults -device isa-serial");

    g_assert_cmphex(qtest_inb(qts, COM1 + IER), ==, 0x00);
    g_assert_cmphex(qtest_inb(qts, COM1 + IIR), ==, 0x01);
    g_assert_cmphex(qtest_inb(qts, COM1 + LCR), ==, 0x00);
    g_assert_cmphex(qtest_inb(qts, COM1 + MCR), ==, 0x08);
    g_assert_cmphex(qtest_inb(qts, COM1 + LSR), ==, 0x60);
    g_assert_cmphex(qtest_inb(qts, COM1 + MSR), ==, 0xb0);
    g_assert_cmphex(qtest_inb(qts, COM1 + SCR), ==, 0x00);
    /* Divisor latch: 12 (9600 baud) until the guest sets another. */
    qtest_outb(qts, COM1 + LCR, 0x83);
    g_assert_cmphex(qtest_inb(qts, COM1 + RBR), ==, 12);
    g_assert_cmphex(qtest_inb(qts, COM1 + IER), ==, 0);
    qtest_outb(qts, COM1 + RBR, 0x01);
    qtest_outb(qts, COM1 + IER, 0x02);
    g_assert_cmphex(qtest_inb(qts, COM1 + RBR), ==, 0x01);
    g_assert_cmphex(qtest_inb(qts, COM1 + IER), ==, 0x02);
    qtest_outb(qts, COM1 + LCR, 0x03);
    g_assert_cmphex(qtest_inb(qts, COM1 + LCR), ==, 0x03);
    /* IER kept its own value; only 4 bits exist. */
    g_assert_cmphex(qtest_inb(qts, COM1 + IER), ==, 0x00);
    qtest_outb(qts, COM1 + IER, 0xff);
    g_assert_cmphex(qtest_inb(qts, COM1 + IER), ==, 0x0f);
    qtest_outb(qts, COM1 + SCR, 0x5a);
    g_assert_cmphex(qtest_inb(qts, COM1 + SCR), ==, 0x5a);
    /* Nothing at COM2. */
    g_assert_cmphex(qtest_inb(qts, COM2 + LSR), ==, 0xff);

    /* system_reset puts the registers back. */
    qtest_qmp_assert_success(qts, "{'execute': 'system_reset'}");
    qtest_qmp_eventwait(qts, "RESET");
    g_assert_cmphex(qtest_inb(qts, COM1 + SCR), ==, 0x00);
    g_assert_cmphex(qtest_inb(qts, COM1 + IER), ==, 0x00);
    qtest_quit(qts);
}

static void test_transmit(void)
{
    Line l;
    QTestState *qts;
    char buf[16];

    line_listen(&l, "tx.sock");
    qts = start_on_line(&l, "");
    for (const char *p = "hello\r\n"; *p; p++) {
        g_assert_cmphex(qtest_inb(qts, COM1 + LSR) & 0x20, ==, 0x20);
        qtest_outb(qts, COM1 + RBR, *p);
    }
    line_read(&l, buf, 7);
    g_assert_cmpmem(buf, 7, "hello\r\n", 7);
    /* THR and the shift register are empty again. */
    g_assert_cmphex(qtest_inb(qts, COM1 + LSR), ==, 0x60);
    qtest_quit(qts);
    line_close(&l);
}

static void test_thre_interrupt(void)
{
    Line l;
    QTestState *qts;
    char c;

    line_listen(&l, "thre.sock");
    qts = start_on_line(&l, "");
    g_assert_false(qtest_get_irq(qts, 4));
    /* Enabling the THRE interrupt with THR empty raises it at once. */
    qtest_outb(qts, COM1 + IER, 0x02);
    g_assert_true(qtest_get_irq(qts, 4));
    g_assert_cmphex(qtest_inb(qts, COM1 + IIR), ==, 0x02);
    /* Reading IIR acknowledged it. */
    g_assert_false(qtest_get_irq(qts, 4));
    g_assert_cmphex(qtest_inb(qts, COM1 + IIR), ==, 0x01);
    /* Each byte sent empties THR again: a new THRE interrupt. */
    qtest_outb(qts, COM1 + RBR, 'x');
    g_assert_true(qtest_get_irq(qts, 4));
    line_read(&l, &c, 1);
    g_assert_cmpint(c, ==, 'x');
    /* Masking it drops the line. */
    qtest_outb(qts, COM1 + IER, 0x00);
    g_assert_false(qtest_get_irq(qts, 4));
    g_assert_cmphex(qtest_inb(qts, COM1 + IIR), ==, 0x01);
    qtest_quit(qts);
    line_close(&l);
}

static void test_receive(void)
{
    Line l;
    QTestState *qts;

    line_listen(&l, "rx.sock");
    qts = start_on_line(&l, "");
    qtest_outb(qts, COM1 + IER, 0x01);
    g_assert_false(qtest_get_irq(qts, 4));
    line_write(&l, "ab");
    wait_data_ready(qts, COM1);
    /* Without FIFOs RBR holds one byte: the second waits on the line. */
    g_assert_true(qtest_get_irq(qts, 4));
    g_assert_cmphex(qtest_inb(qts, COM1 + IIR), ==, 0x04);
    g_assert_cmphex(qtest_inb(qts, COM1 + RBR), ==, 'a');
    wait_data_ready(qts, COM1);
    g_assert_cmphex(qtest_inb(qts, COM1 + LSR) & 0x02, ==, 0);  /* no OE */
    g_assert_cmphex(qtest_inb(qts, COM1 + RBR), ==, 'b');
    g_assert_cmphex(qtest_inb(qts, COM1 + LSR) & 0x01, ==, 0);
    g_assert_false(qtest_get_irq(qts, 4));
    g_assert_cmphex(qtest_inb(qts, COM1 + IIR), ==, 0x01);

    /* With the FIFO at trigger level 1 several bytes queue up. */
    qtest_outb(qts, COM1 + FCR, 0x07);
    g_assert_cmphex(qtest_inb(qts, COM1 + IIR), ==, 0xc1);
    line_write(&l, "xyz");
    for (const char *p = "xyz"; *p; p++) {
        wait_data_ready(qts, COM1);
        g_assert_true(qtest_get_irq(qts, 4));
        g_assert_cmphex(qtest_inb(qts, COM1 + IIR), ==, 0xc4);
        g_assert_cmphex(qtest_inb(qts, COM1 + RBR), ==, *p);
    }
    g_assert_cmphex(qtest_inb(qts, COM1 + LSR) & 0x01, ==, 0);
    g_assert_false(qtest_get_irq(qts, 4));
    qtest_quit(qts);
    line_close(&l);
}

/* Loopback: THR feeds RBR, the modem outputs feed MSR. */
static void test_loopback_fifo(void)
{
    QTestState *qts = qtest_init("-M q35 -nodefaults -device isa-serial");

    qtest_irq_intercept_in(qts, "ioapic");
    qtest_outb(qts, COM1 + MCR, 0x1f);
    g_assert_cmphex(qtest_inb(qts, COM1 + MSR), ==, 0xf0);
    qtest_outb(qts, COM1 + MCR, 0x12);          /* RTS only */
    g_assert_cmphex(qtest_inb(qts, COM1 + MSR), ==, 0x10);

    /* FIFO, trigger level 4: three bytes are below it. */
    qtest_outb(qts, COM1 + FCR, 0x47);
    qtest_outb(qts, COM1 + IER, 0x01);
    for (int i = 0; i < 3; i++) {
        qtest_outb(qts, COM1 + RBR, '1' + i);
    }
    g_assert_cmphex(qtest_inb(qts, COM1 + LSR) & 0x01, ==, 0x01);
    g_assert_cmphex(qtest_inb(qts, COM1 + IIR), ==, 0xc1);
    g_assert_false(qtest_get_irq(qts, 4));
    /* Four character times (9600 8N1: ~1 ms each) later: timeout. */
    qtest_clock_step(qts, 5 * 1000 * 1000);
    g_assert_cmphex(qtest_inb(qts, COM1 + IIR), ==, 0xcc);
    g_assert_true(qtest_get_irq(qts, 4));
    g_assert_cmphex(qtest_inb(qts, COM1 + RBR), ==, '1');
    g_assert_false(qtest_get_irq(qts, 4));
    /* The fourth byte reaches the trigger level: data available. */
    qtest_outb(qts, COM1 + RBR, '4');
    qtest_outb(qts, COM1 + RBR, '5');
    g_assert_cmphex(qtest_inb(qts, COM1 + IIR), ==, 0xc4);
    for (int i = 1; i < 5; i++) {
        g_assert_cmphex(qtest_inb(qts, COM1 + RBR), ==, '1' + i);
    }
    g_assert_cmphex(qtest_inb(qts, COM1 + LSR), ==, 0x60);
    g_assert_false(qtest_get_irq(qts, 4));

    /* 17 bytes into a 16-byte FIFO: overrun, a line status interrupt. */
    qtest_outb(qts, COM1 + IER, 0x05);
    for (int i = 0; i < 17; i++) {
        qtest_outb(qts, COM1 + RBR, 'a' + i);
    }
    g_assert_cmphex(qtest_inb(qts, COM1 + IIR), ==, 0xc6);
    g_assert_cmphex(qtest_inb(qts, COM1 + LSR), ==, 0x63);
    /* Reading LSR cleared OE: now the data interrupt shows. */
    g_assert_cmphex(qtest_inb(qts, COM1 + LSR), ==, 0x61);
    g_assert_cmphex(qtest_inb(qts, COM1 + IIR), ==, 0xc4);
    /* FCR clears the receive FIFO. */
    qtest_outb(qts, COM1 + FCR, 0x43);
    g_assert_cmphex(qtest_inb(qts, COM1 + LSR), ==, 0x60);
    g_assert_cmphex(qtest_inb(qts, COM1 + IIR), ==, 0xc1);
    g_assert_false(qtest_get_irq(qts, 4));
    /* FIFOs off: the IIR top bits say so. */
    qtest_outb(qts, COM1 + FCR, 0x00);
    g_assert_cmphex(qtest_inb(qts, COM1 + IIR), ==, 0x01);
    qtest_quit(qts);
}

/* -serial: serial0.. on COM1.. in order; "none" takes no port. */
static void test_serial_option(void)
{
    Line l1, l2;
    QTestState *qts;
    char buf[2];

    line_listen(&l1, "com1.sock");
    line_listen(&l2, "com2.sock");
    qts = qtest_initf("-M q35 -nodefaults -serial unix:%s "
                      "-chardev socket,id=c2,path=%s -serial chardev:c2",
                      l1.path, l2.path);
    line_accept(&l1);
    line_accept(&l2);
    qtest_irq_intercept_in(qts, "ioapic");
    qtest_outb(qts, COM1 + RBR, '1');
    qtest_outb(qts, COM2 + RBR, '2');
    line_read(&l1, buf, 1);
    line_read(&l2, buf + 1, 1);
    g_assert_cmpmem(buf, 2, "12", 2);
    /* COM2 interrupts on IRQ 3. */
    qtest_outb(qts, COM2 + IER, 0x02);
    g_assert_true(qtest_get_irq(qts, 3));
    g_assert_false(qtest_get_irq(qts, 4));
    qtest_quit(qts);
    line_close(&l1);
    line_close(&l2);
}

static void test_defaults(void)
{
    QTestState *qts;

    /* Without -nodefaults there is a COM1 (QEMU's default serial). */
    qts = qtest_init("-M q35");
    g_assert_cmphex(qtest_inb(qts, COM1 + LSR), ==, 0x60);
    qtest_quit(qts);
    /* -serial none: no port at all. */
    qts = qtest_init("-M q35 -serial none");
    g_assert_cmphex(qtest_inb(qts, COM1 + LSR), ==, 0xff);
    qtest_quit(qts);
    qts = qtest_init("-M q35 -nodefaults");
    g_assert_cmphex(qtest_inb(qts, COM1 + LSR), ==, 0xff);
    qtest_quit(qts);
    /* index=, iobase= and irq= as libvirt may give them. */
    qts = qtest_init("-M q35 -nodefaults "
                     "-device isa-serial,index=1,id=s1 "
                     "-device isa-serial,iobase=0x3e8,irq=5,id=s2");
    qtest_irq_intercept_in(qts, "ioapic");
    g_assert_cmphex(qtest_inb(qts, 0x3e8 + LSR), ==, 0x60);
    qtest_outb(qts, 0x3e8 + IER, 0x02);
    g_assert_true(qtest_get_irq(qts, 5));
    qtest_outb(qts, COM2 + IER, 0x02);
    g_assert_true(qtest_get_irq(qts, 3));
    qtest_quit(qts);
}

/* -serial file:PATH gets exactly what the guest wrote. */
static void test_file_backend(void)
{
    g_autofree char *path = g_build_filename(tmpdir, "com1.log", NULL);
    g_autofree char *contents = NULL;
    QTestState *qts = qtest_initf("-M q35 -nodefaults -serial file:%s",
                                  path);
    gsize len;

    for (const char *p = "boot ok\n"; *p; p++) {
        qtest_outb(qts, COM1 + RBR, *p);
    }
    qtest_quit(qts);
    g_assert_true(g_file_get_contents(path, &contents, &len, NULL));
    g_assert_cmpstr(contents, ==, "boot ok\n");
    unlink(path);
}

/* The pty named by query-chardev, e.g. "pty:/dev/pts/3", for label. */
static char *pty_path(QTestState *qts, const char *label)
{
    g_autoptr(JsonNode) ret = qtest_qmp_assert_success_ref(qts,
        "{'execute': 'query-chardev'}");
    JsonArray *a = json_node_get_array(ret);

    for (guint i = 0; i < json_array_get_length(a); i++) {
        JsonObject *c = json_array_get_object_element(a, i);
        const char *name = json_object_get_string_member(c, "filename");

        if (!strcmp(json_object_get_string_member(c, "label"), label)) {
            g_assert_true(g_str_has_prefix(name, "pty:/dev/pts/"));
            return g_strdup(name + 4);
        }
    }
    g_assert_not_reached();
}

/*
 * -chardev pty (libvirt's <serial type='pty'>): the console is the pty's
 * slave; what the guest wrote before anyone opened it is still there.
 */
static void test_pty_backend(void)
{
    QTestState *qts = qtest_init("-M q35 -nodefaults -chardev pty,id=c0 "
                                 "-device isa-serial,chardev=c0,id=serial0");
    g_autofree char *path = pty_path(qts, "c0");
    Line l = { .listen_fd = -1 };
    char buf[16];

    for (const char *p = "early\n"; *p; p++) {
        qtest_outb(qts, COM1 + RBR, *p);
    }
    l.fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
    g_assert_cmpint(l.fd, >=, 0);
    line_read(&l, buf, 6);
    g_assert_cmpmem(buf, 6, "early\n", 6);
    for (const char *p = "boot ok\n"; *p; p++) {
        qtest_outb(qts, COM1 + RBR, *p);
    }
    line_read(&l, buf, 8);
    g_assert_cmpmem(buf, 8, "boot ok\n", 8);
    /* Typed on the console: the guest's RBR. */
    line_write(&l, "k");
    wait_data_ready(qts, COM1);
    g_assert_cmphex(qtest_inb(qts, COM1 + RBR), ==, 'k');
    close(l.fd);
    /* Nobody on the console: output goes nowhere, the guest runs on. */
    for (int i = 0; i < 8192; i++) {
        qtest_outb(qts, COM1 + RBR, 'x');
    }
    g_assert_cmphex(qtest_inb(qts, COM1 + LSR) & 0x60, ==, 0x60);
    qtest_quit(qts);
}

static void test_bad_input(void)
{
    QTestState *qts = qtest_init("-M q35 -nodefaults -chardev null,id=c0 "
                                 "-device isa-serial,chardev=c0,id=s0");

    /* Not hot-pluggable, like every ISA device. */
    qtest_qmp_expect_error(qts, "GenericError",
        "Parameter 'driver' expects a pluggable device type",
        "{'execute': 'device_add', 'arguments': {'driver': 'isa-serial'}}");
    qtest_qmp_expect_error(qts, "GenericError", NULL,
        "{'execute': 'device_del', 'arguments': {'id': 's0'}}");
    /* Wider accesses are split into byte accesses: IIR, then LCR. */
    g_assert_cmphex(qtest_inw(qts, COM1 + IIR), ==, 0x0001);
    qtest_quit(qts);
}

static void test_migration(void)
{
    g_autofree char *sock = g_build_filename(tmpdir, "mig.sock", NULL);
    g_autofree char *uri = g_strdup_printf("unix:%s", sock);
    QTestState *dst = qtest_init("-M q35 -nodefaults -device isa-serial "
                                 "-incoming defer");
    QTestState *src = qtest_init("-M q35 -nodefaults -device isa-serial");

    qtest_irq_intercept_in(dst, "ioapic");
    /* A state worth moving: divisor, FIFO with data, pending interrupt. */
    qtest_outb(src, COM1 + LCR, 0x83);
    qtest_outb(src, COM1 + RBR, 0x03);
    qtest_outb(src, COM1 + LCR, 0x03);
    qtest_outb(src, COM1 + SCR, 0xa5);
    qtest_outb(src, COM1 + FCR, 0x01);
    qtest_outb(src, COM1 + MCR, 0x1b);
    qtest_outb(src, COM1 + RBR, 'm');
    qtest_outb(src, COM1 + RBR, 'g');
    qtest_outb(src, COM1 + IER, 0x01);
    g_assert_cmphex(qtest_inb(src, COM1 + IIR), ==, 0xc4);

    qtest_qmp_assert_success(dst, "{'execute': 'migrate-incoming', "
                             "'arguments': {'uri': '%s'}}", uri);
    qtest_qmp_assert_success(src, "{'execute': 'migrate', "
                             "'arguments': {'uri': '%s'}}", uri);
    qtest_qmp_eventwait(dst, "RESUME");

    g_assert_cmphex(qtest_inb(dst, COM1 + SCR), ==, 0xa5);
    g_assert_cmphex(qtest_inb(dst, COM1 + LCR), ==, 0x03);
    g_assert_cmphex(qtest_inb(dst, COM1 + MCR), ==, 0x1b);
    g_assert_cmphex(qtest_inb(dst, COM1 + IIR), ==, 0xc4);
    g_assert_true(qtest_get_irq(dst, 4));
    g_assert_cmphex(qtest_inb(dst, COM1 + RBR), ==, 'm');
    g_assert_cmphex(qtest_inb(dst, COM1 + RBR), ==, 'g');
    g_assert_cmphex(qtest_inb(dst, COM1 + LSR), ==, 0x60);
    g_assert_false(qtest_get_irq(dst, 4));
    qtest_outb(dst, COM1 + LCR, 0x83);
    g_assert_cmphex(qtest_inb(dst, COM1 + RBR), ==, 0x03);
    qtest_quit(src);
    qtest_quit(dst);
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    tmpdir = g_dir_make_tmp("serial-test-XXXXXX", NULL);
    g_assert(tmpdir);
    qtest_add_func("/serial/reset-values", test_reset_values);
    qtest_add_func("/serial/transmit", test_transmit);
    qtest_add_func("/serial/thre-interrupt", test_thre_interrupt);
    qtest_add_func("/serial/receive", test_receive);
    qtest_add_func("/serial/loopback-fifo", test_loopback_fifo);
    qtest_add_func("/serial/serial-option", test_serial_option);
    qtest_add_func("/serial/defaults", test_defaults);
    qtest_add_func("/serial/file-backend", test_file_backend);
    qtest_add_func("/serial/pty-backend", test_pty_backend);
    qtest_add_func("/serial/bad-input", test_bad_input);
    qtest_add_func("/serial/migration", test_migration);
    ret = g_test_run();
    g_rmdir(tmpdir);
    g_free(tmpdir);
    return ret;
}
