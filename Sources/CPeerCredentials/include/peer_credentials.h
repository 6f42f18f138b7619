#ifndef EARSHOT_PEER_CREDENTIALS_H
#define EARSHOT_PEER_CREDENTIALS_H

#include <sys/types.h>

/// The kernel's record of who is on the other end of a connected Unix socket.
/// Returns 0 and fills uid, gid and pid on success; -1 with errno set otherwise.
int earshot_peer_credentials(int socket_fd, uid_t *uid, gid_t *gid, pid_t *pid);

/// pipe2(fds, O_CLOEXEC): a pipe whose ends no other spawned child can inherit, created
/// atomically (glibc declares pipe2 only under _GNU_SOURCE). Returns 0, or -1 with errno.
int earshot_pipe_cloexec(int fds[2]);

#include <spawn.h>

/// Makes a spawned child close every descriptor from `lowest` up, so it inherits only its
/// stdin, stdout and stderr, not whatever the daemon inherited without close-on-exec.
int earshot_spawn_close_from(posix_spawn_file_actions_t *actions, int lowest);

#endif
