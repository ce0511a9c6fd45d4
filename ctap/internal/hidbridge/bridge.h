#ifndef KEYDESK_BRIDGE_H
#define KEYDESK_BRIDGE_H

int kd_register(const char *path, const char *manufacturer, const char *product);
void kd_unregister(const char *path);
int kd_cancel(const char *path);
int kd_abort(const char *path);
int kd_open_count(const char *path);

#endif
