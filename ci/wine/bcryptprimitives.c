/* A stand-in for bcryptprimitives.dll, which Wine 8 lacks: Rust's std (1.78 and later) imports
 * ProcessPrng from it to seed HashMap and fill random buffers, so without it no Windows binary
 * starts under Wine. ProcessPrng fills a buffer with random bytes and cannot fail; advapi32's
 * RtlGenRandom (exported as SystemFunction036) does the same in chunks of at most ULONG bytes.
 * Used only by CI's Wine step (.ci/run); never shipped. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
