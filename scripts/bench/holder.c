/* The benchmark's socket fixture: SOCKETS listening TCP sockets spread over PROCESSES
 * processes, plus IDLE processes that hold none. Run it inside the benchmark's network
 * namespace (scripts/bench.sh does): the ports are that namespace's own.
 *
 *   holder SOCKETS PROCESSES IDLE
 *
 * Socket i listens on 127.0.0.(1 + i / 20000), port 20000 + i % 20000, so 50,000 sockets fit
 * without the ephemeral range. Prints "ready" once every socket listens, then waits until its
 * standard input closes (or it is signalled) and takes its children with it. Bounded: it exits
 * by itself after 30 minutes. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static int listen_on(long i) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0) return -1;
    int one = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short)(20000 + i % 20000));
    a.sin_addr.s_addr = htonl(0x7f000001u + (unsigned)(i / 20000));
    if (bind(s, (struct sockaddr *)&a, sizeof a) < 0 || listen(s, 16) < 0) {
        close(s);
        return -1;
    }
    return s;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: holder SOCKETS PROCESSES IDLE\n");
        return 2;
    }
    long sockets = atol(argv[1]), processes = atol(argv[2]), idle = atol(argv[3]);
    if (sockets < 0 || processes < 1 || idle < 0 || sockets > 200000) return 2;
    /* A group of its own: the cleanup below signals the group, never the caller's. */
    setpgid(0, 0);
    struct rlimit lim;
    if (getrlimit(RLIMIT_NOFILE, &lim) == 0) {
        lim.rlim_cur = lim.rlim_max;
        setrlimit(RLIMIT_NOFILE, &lim);
    }
    int ready[2];
    if (pipe(ready) < 0) return 1;
    long per = sockets / processes, extra = sockets % processes, next = 0;
    for (long p = 0; p < processes + idle; p++) {
        long mine = p < processes ? per + (p < extra) : 0;
        long first = next;
        next += mine;
        pid_t pid = fork();
        if (pid < 0) return 1;
        if (pid == 0) {
            prctl(PR_SET_PDEATHSIG, SIGTERM);
            close(ready[0]);
            char ok = 1;
            for (long i = first; i < first + mine; i++)
                if (listen_on(i) < 0) ok = 0;
            if (write(ready[1], &ok, 1) != 1) _exit(1);
            close(ready[1]);
            sleep(1800);
            _exit(0);
        }
    }
    close(ready[1]);
    long done = 0, failed = 0;
    char ok;
    while (done < processes + idle && read(ready[0], &ok, 1) == 1) {
        done++;
        if (!ok) failed++;
    }
    if (failed || done != processes + idle) {
        fprintf(stderr, "holder: %ld of %ld processes failed to listen\n", failed, processes);
        kill(0, SIGTERM);
        return 1;
    }
    printf("ready\n");
    fflush(stdout);
    alarm(1800);
    char buf[64];
    while (read(0, buf, sizeof buf) > 0) {
    }
    signal(SIGTERM, SIG_IGN);
    kill(0, SIGTERM);
    while (wait(NULL) > 0) {
    }
    return 0;
}
