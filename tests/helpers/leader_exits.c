/* Run by tests/kill.rs: a process whose main thread exits while another thread runs, so that
 * its leader is a zombie and /proc/PID/fd lists nothing, though the process still holds a TCP
 * listener on 127.0.0.1. Prints the port once listening; ends when stdin closes, at most
 * after 120 seconds, so that it never outlives its test. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

static void *hold(void *unused) {
    char buf[64];
    (void)unused;
    while (read(0, buf, sizeof buf) > 0) {
    }
    exit(0);
}

int main(void) {
    struct sockaddr_in addr = {0};
    socklen_t len = sizeof addr;
    pthread_t thread;
    int s = socket(AF_INET, SOCK_STREAM, 0);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (s < 0 || bind(s, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(s, 8) != 0 ||
        getsockname(s, (struct sockaddr *)&addr, &len) != 0) {
        perror("listen");
        return 1;
    }
    alarm(120);
    if (pthread_create(&thread, NULL, hold, NULL) != 0) {
        return 1;
    }
    printf("%d\n", ntohs(addr.sin_port));
    fflush(stdout);
    pthread_exit(NULL);
}
