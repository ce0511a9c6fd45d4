//go:build linux && cgo

// KeyDesk's libfido2 bridge: routes device paths "virtual:<socket>" to a
// software security key, and leaves every other path to libfido2.
//
// The executable (or, built as a shared object, an LD_PRELOADed library)
// defines fido_dev_open, fido_dev_close and fido_dev_info_manifest. Their
// definitions win over libfido2's, so go-libfido2's unmodified calls land
// here; the real functions are found with dlsym(RTLD_NEXT, ...). For a
// virtual path, the device gets io functions that carry one 64-byte CTAPHID
// report per packet over a SOCK_SEQPACKET Unix socket.
//
// The bridge also remembers which fido_dev_t is open for which path, so that
// a request can be cancelled (CTAPHID_CANCEL) from another thread without
// racing the close that frees the device.

#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fido.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "bridge.h"

#define KD_PREFIX "virtual:"
#define KD_PREFIX_LEN (sizeof(KD_PREFIX) - 1)
#define KD_REPORT_LEN 64
#define KD_MAX_VIRTUAL 16
#define KD_MAX_OPEN 64

typedef int (*kd_open_fn)(fido_dev_t *, const char *);
typedef int (*kd_close_fn)(fido_dev_t *);
typedef int (*kd_manifest_fn)(fido_dev_info_t *, size_t, size_t *);

static pthread_once_t kd_once = PTHREAD_ONCE_INIT;
static kd_open_fn real_open;
static kd_close_fn real_close;
static kd_manifest_fn real_manifest;

struct kd_virtual {
	char *path, *manufacturer, *product;
};

static pthread_mutex_t kd_lock = PTHREAD_MUTEX_INITIALIZER;
static struct kd_virtual kd_virtuals[KD_MAX_VIRTUAL];

// kd_open_dev is a device being opened or open. An entry is made before
// libfido2's own open starts (CTAPHID_INIT and getInfo already wait on the
// key), so that kd_abort reaches a key that never answers them.
struct kd_open_dev {
	fido_dev_t *dev;
	char *path;
	unsigned long gen;  // tells this open from a later one in the same slot
	int opening;        // inside fido_dev_open: thread is the one waiting
	pthread_t thread;
	volatile int aborted;
};
static struct kd_open_dev kd_open_devs[KD_MAX_OPEN];
static unsigned long kd_next_gen = 1;

// The slot and generation of the open in progress on this thread, for
// kd_io_open, which libfido2 calls from inside fido_dev_open.
static __thread int kd_cur_slot = -1;
static __thread unsigned long kd_cur_gen;

static int kd_register_locked(const char *path, const char *manufacturer, const char *product);

// kd_resolve finds the real libfido2 functions. It runs lazily, on first use,
// because Go's internal linker ignores .init_array constructors. Paths in
// KEYDESK_VIRTUAL_DEVICES (comma-separated) are listed too: that is how the
// preloaded library learns about a key served by another process.
static void
kd_resolve(void)
{
	real_open = (kd_open_fn)dlsym(RTLD_NEXT, "fido_dev_open");
	real_close = (kd_close_fn)dlsym(RTLD_NEXT, "fido_dev_close");
	real_manifest = (kd_manifest_fn)dlsym(RTLD_NEXT, "fido_dev_info_manifest");

	const char *env = getenv("KEYDESK_VIRTUAL_DEVICES");
	if (env == NULL || *env == '\0')
		return;
	char *list = strdup(env);
	if (list == NULL)
		return;
	char *save = NULL;
	pthread_mutex_lock(&kd_lock);
	for (char *p = strtok_r(list, ",", &save); p != NULL; p = strtok_r(NULL, ",", &save))
		kd_register_locked(p, "KeyDesk", "Virtual Key");
	pthread_mutex_unlock(&kd_lock);
	free(list);
}

static int
kd_is_virtual(const char *path)
{
	return path != NULL && strncmp(path, KD_PREFIX, KD_PREFIX_LEN) == 0;
}

struct kd_handle {
	int fd;
	int slot;  // in kd_open_devs, -1 when opened outside fido_dev_open
	unsigned long gen;
};

// kd_aborted reports whether kd_abort ended the open that made h.
static int
kd_aborted(const struct kd_handle *h)
{
	if (h->slot < 0)
		return 0;
	pthread_mutex_lock(&kd_lock);
	int r = kd_open_devs[h->slot].gen == h->gen && kd_open_devs[h->slot].aborted;
	pthread_mutex_unlock(&kd_lock);
	return r;
}

static void *
kd_io_open(const char *path)
{
	if (!kd_is_virtual(path))
		return NULL;
	const char *sock = path + KD_PREFIX_LEN;
	struct sockaddr_un addr;
	memset(&addr, 0, sizeof(addr));
	addr.sun_family = AF_UNIX;
	if (strlen(sock) >= sizeof(addr.sun_path))
		return NULL;
	strcpy(addr.sun_path, sock);

	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return NULL;
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0) {
		close(fd);
		return NULL;
	}
	struct kd_handle *h = calloc(1, sizeof(*h));
	if (h == NULL) {
		close(fd);
		return NULL;
	}
	h->fd = fd;
	h->slot = kd_cur_slot;
	h->gen = kd_cur_gen;
	return h;
}

static void
kd_io_close(void *handle)
{
	struct kd_handle *h = handle;
	if (h == NULL)
		return;
	close(h->fd);
	free(h);
}

// kd_io_read returns one report, waiting at most ms milliseconds (-1: no
// limit), as libfido2's own HID backend does. It waits in slices, so that
// kd_abort ends the wait of a key that never answers.
#define KD_READ_SLICE_MS 50
static int
kd_io_read(void *handle, unsigned char *buf, size_t len, int ms)
{
	struct kd_handle *h = handle;
	struct pollfd pfd = {.fd = h->fd, .events = POLLIN};
	int left = ms;
	for (;;) {
		if (kd_aborted(h))
			return -1;
		int slice = KD_READ_SLICE_MS;
		if (ms >= 0 && left < slice)
			slice = left;
		int r = poll(&pfd, 1, slice);
		if (r < 0 && errno != EINTR)
			return -1;
		if (r > 0)
			break;
		if (r == 0 && ms >= 0) {
			left -= slice;
			if (left <= 0)
				return -1;
		}
	}
	if (!(pfd.revents & POLLIN))
		return -1;
	ssize_t n;
	do {
		n = recv(h->fd, buf, len, 0);
	} while (n < 0 && errno == EINTR);
	if (n <= 0)
		return -1;
	return (int)n;
}

// kd_io_write sends one report. libfido2 writes the HID report id (0) first;
// the socket carries the bare 64-byte report.
static int
kd_io_write(void *handle, const unsigned char *buf, size_t len)
{
	struct kd_handle *h = handle;
	const unsigned char *p = buf;
	size_t n = len;
	if (len == KD_REPORT_LEN + 1) {
		p++;
		n--;
	}
	ssize_t w;
	do {
		w = send(h->fd, p, n, MSG_NOSIGNAL);
	} while (w < 0 && errno == EINTR);
	if (w != (ssize_t)n)
		return -1;
	return (int)len;
}

static const fido_dev_io_t kd_io = {
	.open = kd_io_open,
	.close = kd_io_close,
	.read = kd_io_read,
	.write = kd_io_write,
};

// kd_track makes dev's entry before the open starts; it returns the slot,
// or -1 when the table is full (the device then works, untracked).
static int
kd_track(fido_dev_t *dev, const char *path)
{
	int slot = -1;
	pthread_mutex_lock(&kd_lock);
	for (int i = 0; i < KD_MAX_OPEN; i++) {
		if (kd_open_devs[i].dev == NULL) {
			char *p = strdup(path);
			if (p == NULL)
				break;
			kd_open_devs[i].dev = dev;
			kd_open_devs[i].path = p;
			kd_open_devs[i].gen = kd_next_gen++;
			kd_open_devs[i].opening = 1;
			kd_open_devs[i].thread = pthread_self();
			kd_open_devs[i].aborted = 0;
			kd_cur_slot = i;
			kd_cur_gen = kd_open_devs[i].gen;
			slot = i;
			break;
		}
	}
	pthread_mutex_unlock(&kd_lock);
	return slot;
}

static void
kd_untrack_locked(int i)
{
	free(kd_open_devs[i].path);
	kd_open_devs[i].dev = NULL;
	kd_open_devs[i].path = NULL;
	kd_open_devs[i].opening = 0;
	kd_open_devs[i].aborted = 0;
}

static void
kd_untrack(fido_dev_t *dev)
{
	pthread_mutex_lock(&kd_lock);
	for (int i = 0; i < KD_MAX_OPEN; i++)
		if (kd_open_devs[i].dev == dev)
			kd_untrack_locked(i);
	pthread_mutex_unlock(&kd_lock);
}

// kd_abort_locked marks d aborted: a virtual key's read sees it within
// KD_READ_SLICE_MS. A hardware key's read waits in libfido2's own ppoll: a
// signal to the opening thread interrupts it (SIGURG: Go's runtime and
// libc both ignore it there). The thread is signalled only while it is
// inside this open, which kd_lock guarantees.
static void
kd_abort_locked(struct kd_open_dev *d)
{
	d->aborted = 1;
	if (d->opening && !kd_is_virtual(d->path))
		pthread_kill(d->thread, SIGURG);
}

int
fido_dev_open(fido_dev_t *dev, const char *path)
{
	pthread_once(&kd_once, kd_resolve);
	if (real_open == NULL)
		return FIDO_ERR_INTERNAL;
	if (dev != NULL && kd_is_virtual(path)) {
		int r = fido_dev_set_io_functions(dev, &kd_io);
		if (r != FIDO_OK)
			return r;
	}
	int slot = -1;
	if (dev != NULL && path != NULL)
		slot = kd_track(dev, path);
	int r = real_open(dev, path);
	kd_cur_slot = -1;
	if (slot >= 0) {
		pthread_mutex_lock(&kd_lock);
		if (r == FIDO_OK && !kd_open_devs[slot].aborted) {
			kd_open_devs[slot].opening = 0;
		} else {
			if (r == FIDO_OK) {
				// Aborted while libfido2 was finishing the open.
				pthread_mutex_unlock(&kd_lock);
				real_close(dev);
				pthread_mutex_lock(&kd_lock);
				r = FIDO_ERR_RX;
			}
			kd_untrack_locked(slot);
		}
		pthread_mutex_unlock(&kd_lock);
	}
	return r;
}

int
fido_dev_close(fido_dev_t *dev)
{
	pthread_once(&kd_once, kd_resolve);
	if (real_close == NULL)
		return FIDO_ERR_INTERNAL;
	kd_untrack(dev);
	return real_close(dev);
}

int
fido_dev_info_manifest(fido_dev_info_t *devlist, size_t ilen, size_t *olen)
{
	pthread_once(&kd_once, kd_resolve);
	if (real_manifest == NULL)
		return FIDO_ERR_INTERNAL;
	int r = real_manifest(devlist, ilen, olen);
	if (r != FIDO_OK)
		return r;
	pthread_mutex_lock(&kd_lock);
	for (int i = 0; i < KD_MAX_VIRTUAL && *olen < ilen; i++) {
		struct kd_virtual *v = &kd_virtuals[i];
		if (v->path == NULL)
			continue;
		if (fido_dev_info_set(devlist, *olen, v->path, v->manufacturer, v->product, &kd_io, NULL) == FIDO_OK)
			(*olen)++;
	}
	pthread_mutex_unlock(&kd_lock);
	return FIDO_OK;
}

static int
kd_register_locked(const char *path, const char *manufacturer, const char *product)
{
	if (!kd_is_virtual(path))
		return -1;
	for (int i = 0; i < KD_MAX_VIRTUAL; i++)
		if (kd_virtuals[i].path != NULL && strcmp(kd_virtuals[i].path, path) == 0)
			return 0;
	for (int i = 0; i < KD_MAX_VIRTUAL; i++) {
		struct kd_virtual *v = &kd_virtuals[i];
		if (v->path == NULL) {
			v->path = strdup(path);
			v->manufacturer = strdup(manufacturer);
			v->product = strdup(product);
			return 0;
		}
	}
	return -1;
}

int
kd_register(const char *path, const char *manufacturer, const char *product)
{
	pthread_once(&kd_once, kd_resolve);
	pthread_mutex_lock(&kd_lock);
	int r = kd_register_locked(path, manufacturer, product);
	pthread_mutex_unlock(&kd_lock);
	return r;
}

void
kd_unregister(const char *path)
{
	pthread_mutex_lock(&kd_lock);
	for (int i = 0; i < KD_MAX_VIRTUAL; i++) {
		struct kd_virtual *v = &kd_virtuals[i];
		if (v->path != NULL && strcmp(v->path, path) == 0) {
			free(v->path);
			free(v->manufacturer);
			free(v->product);
			v->path = v->manufacturer = v->product = NULL;
		}
	}
	pthread_mutex_unlock(&kd_lock);
}

// kd_cancel sends CTAPHID_CANCEL to every open handle of path; a key still
// being opened cannot take one (libfido2 is in CTAPHID_INIT or getInfo), nor
// can a U2F-only key, so their waits are aborted instead.
int
kd_cancel(const char *path)
{
	int n = 0;
	pthread_mutex_lock(&kd_lock);
	for (int i = 0; i < KD_MAX_OPEN; i++) {
		struct kd_open_dev *d = &kd_open_devs[i];
		if (d->dev == NULL || strcmp(d->path, path) != 0)
			continue;
		if (d->opening || !fido_dev_is_fido2(d->dev)) {
			// A U2F-only key has no CTAPHID_CANCEL (fido_dev_cancel
			// refuses it) and nothing to cancel: it answers each
			// U2F message at once, and the wait for a touch is
			// libfido2's polling (src/u2f.c), which ending the wait
			// ends. (A hardware U2F key's wait is ended only while it
			// is being opened; else libfido2's timeout ends it.)
			kd_abort_locked(d);
			n++;
		} else if (fido_dev_cancel(d->dev) == FIDO_OK) {
			n++;
		}
	}
	pthread_mutex_unlock(&kd_lock);
	return n;
}

// kd_abort ends every wait on path at once, for a key that does not answer
// CTAPHID_CANCEL: the pending read fails and libfido2 reports FIDO_ERR_RX.
int
kd_abort(const char *path)
{
	int n = 0;
	pthread_mutex_lock(&kd_lock);
	for (int i = 0; i < KD_MAX_OPEN; i++) {
		struct kd_open_dev *d = &kd_open_devs[i];
		if (d->dev != NULL && strcmp(d->path, path) == 0) {
			kd_abort_locked(d);
			n++;
		}
	}
	pthread_mutex_unlock(&kd_lock);
	return n;
}

int
kd_open_count(const char *path)
{
	int n = 0;
	pthread_mutex_lock(&kd_lock);
	for (int i = 0; i < KD_MAX_OPEN; i++)
		if (kd_open_devs[i].dev != NULL && strcmp(kd_open_devs[i].path, path) == 0)
			n++;
	pthread_mutex_unlock(&kd_lock);
	return n;
}
