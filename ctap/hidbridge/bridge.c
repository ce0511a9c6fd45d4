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

struct kd_open_dev {
	fido_dev_t *dev;
	char *path;
};
static struct kd_open_dev kd_open_devs[KD_MAX_OPEN];

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
};

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
// limit), as libfido2's own HID backend does.
static int
kd_io_read(void *handle, unsigned char *buf, size_t len, int ms)
{
	struct kd_handle *h = handle;
	struct pollfd pfd = {.fd = h->fd, .events = POLLIN};
	int r;
	do {
		r = poll(&pfd, 1, ms < 0 ? -1 : ms);
	} while (r < 0 && errno == EINTR);
	if (r <= 0)
		return -1;
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

static void
kd_track(fido_dev_t *dev, const char *path)
{
	pthread_mutex_lock(&kd_lock);
	for (int i = 0; i < KD_MAX_OPEN; i++) {
		if (kd_open_devs[i].dev == NULL) {
			kd_open_devs[i].dev = dev;
			kd_open_devs[i].path = strdup(path);
			break;
		}
	}
	pthread_mutex_unlock(&kd_lock);
}

static void
kd_untrack(fido_dev_t *dev)
{
	pthread_mutex_lock(&kd_lock);
	for (int i = 0; i < KD_MAX_OPEN; i++) {
		if (kd_open_devs[i].dev == dev) {
			free(kd_open_devs[i].path);
			kd_open_devs[i].dev = NULL;
			kd_open_devs[i].path = NULL;
		}
	}
	pthread_mutex_unlock(&kd_lock);
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
	int r = real_open(dev, path);
	if (r == FIDO_OK && dev != NULL && path != NULL)
		kd_track(dev, path);
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

int
kd_cancel(const char *path)
{
	int n = 0;
	pthread_mutex_lock(&kd_lock);
	for (int i = 0; i < KD_MAX_OPEN; i++) {
		if (kd_open_devs[i].dev != NULL && strcmp(kd_open_devs[i].path, path) == 0) {
			if (fido_dev_cancel(kd_open_devs[i].dev) == FIDO_OK)
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
