/*
 * banned: functions that invite buffer overruns, as git's banned.h.
 * Included into every compilation unit by the Makefile.
 */
#ifndef PS_BANNED_H
#define PS_BANNED_H

#define PS_BANNED(f) sorry_##f##_is_banned
#undef strcpy
#define strcpy(a, b) PS_BANNED(strcpy)
#undef strcat
#define strcat(a, b) PS_BANNED(strcat)
#undef sprintf
#define sprintf(...) PS_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) PS_BANNED(vsprintf)
#undef strtok
#define strtok(a, b) PS_BANNED(strtok)
#undef gets
#define gets(a) PS_BANNED(gets)

#endif
