#ifndef EARSHOT_PEER_CREDENTIALS_H
#define EARSHOT_PEER_CREDENTIALS_H

#include <sys/types.h>

/// The kernel's record of who is on the other end of a connected Unix socket.
/// Returns 0 and fills uid, gid and pid on success; -1 with errno set otherwise.
int earshot_peer_credentials(int socket_fd, uid_t *uid, gid_t *gid, pid_t *pid);

#endif
