/* The floor: the least work that answers what `bindscope listeners` answers. The four
 * sock_diag dumps (TCP LISTEN and UDP unconnected, IPv4 and IPv6), one readlinkat per open
 * descriptor of every process, and the owners' stat and cmdline. No formatting beyond a count.
 * scripts/bench.sh compiles it (cc -O2 -pthread) and times it beside bindscope.
 *
 *   floor [THREADS]      THREADS scan /proc (default 1)
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Inodes of the sockets, in an open-addressing set. */
static unsigned long *set;
static size_t set_size, set_count;

static void set_add(unsigned long inode) {
    if ((set_count + 1) * 2 > set_size) {
        size_t old = set_size;
        unsigned long *was = set;
        set_size = old ? old * 2 : 1024;
        set = calloc(set_size, sizeof *set);
        set_count = 0;
        for (size_t i = 0; i < old; i++)
            if (was[i]) set_add(was[i]);
        free(was);
    }
    size_t i = (inode * 0x9E3779B97F4A7C15ul) & (set_size - 1);
    while (set[i] && set[i] != inode) i = (i + 1) & (set_size - 1);
    if (!set[i]) set_count++;
    set[i] = inode;
}

static int set_has(unsigned long inode) {
    if (!set_size) return 0;
    size_t i = (inode * 0x9E3779B97F4A7C15ul) & (set_size - 1);
    while (set[i]) {
        if (set[i] == inode) return 1;
        i = (i + 1) & (set_size - 1);
    }
    return 0;
}

static long sockets;

static int dump(int fd, int family, int protocol, unsigned states) {
    struct {
        struct nlmsghdr nlh;
        struct inet_diag_req_v2 req;
    } msg = {0};
    msg.nlh.nlmsg_len = sizeof msg;
    msg.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    msg.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    msg.req.sdiag_family = family;
    msg.req.sdiag_protocol = protocol;
    msg.req.idiag_states = states;
    if (send(fd, &msg, sizeof msg, 0) < 0) return -1;
    static char buf[65536];
    for (;;) {
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n <= 0) return -1;
        for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
            if (h->nlmsg_type == NLMSG_DONE) return 0;
            if (h->nlmsg_type == NLMSG_ERROR) return -1;
            struct inet_diag_msg *d = NLMSG_DATA(h);
            sockets++;
            if (d->idiag_inode) set_add(d->idiag_inode);
        }
    }
}

static int *pids;
static size_t npids;
static atomic_size_t next_pid;
static atomic_long owners, descriptors;

static void details(int proc, int pid) {
    char path[64], buf[4096];
    snprintf(path, sizeof path, "%d/stat", pid);
    int f = openat(proc, path, O_RDONLY | O_CLOEXEC);
    if (f >= 0) {
        if (read(f, buf, sizeof buf) < 0) buf[0] = 0;
        close(f);
    }
    snprintf(path, sizeof path, "%d/cmdline", pid);
    f = openat(proc, path, O_RDONLY | O_CLOEXEC);
    if (f >= 0) {
        if (read(f, buf, sizeof buf) < 0) buf[0] = 0;
        close(f);
    }
}

static void *scan(void *arg) {
    int proc = *(int *)arg;
    char path[32], link[64];
    for (;;) {
        size_t i = atomic_fetch_add(&next_pid, 1);
        if (i >= npids) break;
        snprintf(path, sizeof path, "%d/fd", pids[i]);
        int dir = openat(proc, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dir < 0) continue;
        DIR *d = fdopendir(dir);
        if (!d) {
            close(dir);
            continue;
        }
        int matched = 0;
        struct dirent *e;
        while ((e = readdir(d))) {
            if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
            atomic_fetch_add(&descriptors, 1);
            ssize_t n = readlinkat(dir, e->d_name, link, sizeof link - 1);
            if (n < 9 || memcmp(link, "socket:[", 8)) continue;
            link[n] = 0;
            if (set_has(strtoul(link + 8, NULL, 10))) matched = 1;
        }
        closedir(d);
        if (matched) {
            atomic_fetch_add(&owners, 1);
            details(proc, pids[i]);
        }
    }
    return NULL;
}

int main(int argc, char **argv) {
    int threads = argc > 1 ? atoi(argv[1]) : 1;
    if (threads < 1 || threads > 64) return 2;
    int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
    if (fd < 0) return 1;
    if (dump(fd, AF_INET, IPPROTO_TCP, 1 << 10) || dump(fd, AF_INET6, IPPROTO_TCP, 1 << 10) ||
        dump(fd, AF_INET, IPPROTO_UDP, 1 << 7) || dump(fd, AF_INET6, IPPROTO_UDP, 1 << 7))
        return 1;
    close(fd);
    int proc = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = fdopendir(dup(proc));
    struct dirent *e;
    size_t cap = 1024;
    pids = malloc(cap * sizeof *pids);
    while (d && (e = readdir(d))) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        if (npids == cap) pids = realloc(pids, (cap *= 2) * sizeof *pids);
        pids[npids++] = atoi(e->d_name);
    }
    if (set_count) {
        pthread_t t[64];
        for (int i = 1; i < threads; i++) pthread_create(&t[i], NULL, scan, &proc);
        scan(&proc);
        for (int i = 1; i < threads; i++) pthread_join(t[i], NULL);
    }
    printf("%ld sockets, %zu processes, %ld descriptors, %ld owners\n", sockets, npids,
           (long)descriptors, (long)owners);
    return 0;
}
