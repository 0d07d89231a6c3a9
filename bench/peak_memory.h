#pragma once
// Peak resident memory of this process (VmHWM from /proc/self/status), in MiB.
double peak_rss_mib();
// Current resident memory (VmRSS), in MiB.
double current_rss_mib();
