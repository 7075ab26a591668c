/* utf8.h - validating one UTF-8 sequence (policy text, audit strings). */
#ifndef FG_UTF8_H
#define FG_UTF8_H

#include <stddef.h>

/* Length (1 to 4) of the valid UTF-8 sequence at s, reading at most `left`
 * bytes; 0 when it is not valid UTF-8 (overlong forms, surrogates and values
 * past U+10FFFF included). */
size_t fg_utf8_sequence_length(const unsigned char *s, size_t left);

#endif
