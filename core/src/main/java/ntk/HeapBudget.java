package ntk;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * How many bytes of long-lived large arrays the heap can still take, for refusing a job before it starts. Not simply
 * max − used: under a generational collector (the launcher's ParallelGC) a large array lives in the old generation,
 * which is only part of the heap (about 2/3 by default) — a job that passes a max − used test can still run out of
 * memory halfway (seen: a 1.6 GB kernel pair on a 2 GB heap). So the old generation's own headroom counts too.
 */
public final class HeapBudget {
    private HeapBudget() {
    }

    /** min(heap max − heap used, old generation max − old generation used) in bytes. */
    public static long free() {
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            String name = pool.getName();
            if (pool.getType() == MemoryType.HEAP && (name.contains("Old Gen") || name.contains("Tenured"))) {
                long max = pool.getUsage().getMax();
                if (max > 0) {
                    free = Math.min(free, max - pool.getUsage().getUsed());
                }
            }
        }
        return free;
    }
}
