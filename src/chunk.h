/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ZONEALLOC_CHUNK_H
#define _ZONEALLOC_CHUNK_H

int zonealloc_chunk_init(void);
void zonealloc_chunk_exit(void);

#endif /* _ZONEALLOC_CHUNK_H */
