// struct ucred and pipe2 are only declared with _GNU_SOURCE, which Swift's Glibc import does
// not set, so these take a few lines of C.
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/socket.h>
#include <spawn.h>
#include <unistd.h>
#include "peer_credentials.h"

int earshot_peer_credentials(int socket_fd, uid_t *uid, gid_t *gid, pid_t *pid) {
    struct ucred credentials;
    socklen_t length = sizeof(credentials);
    if (getsockopt(socket_fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) != 0) {
        return -1;
    }
    *uid = credentials.uid;
    *gid = credentials.gid;
    *pid = credentials.pid;
    return 0;
}

int earshot_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC);
}

int earshot_spawn_close_from(posix_spawn_file_actions_t *actions, int lowest) {
    return posix_spawn_file_actions_addclosefrom_np(actions, lowest);
}
