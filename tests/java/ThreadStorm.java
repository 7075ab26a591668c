import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

/**
 * A JVM workload for fhirguard's integration tests: THREADS threads each
 * write, read back and delete files in a scratch directory, then a few
 * subprocesses run through ProcessBuilder. The output is deterministic, so
 * a run under fhirguard must print exactly what a native run prints.
 *
 * Usage: java ThreadStorm.java SCRATCH_DIR [THREADS]
 */
public class ThreadStorm {
    public static void main(String[] args) throws Exception {
        Path scratch = Path.of(args[0]);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        Files.createDirectories(scratch);
        AtomicLong checksum = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        List<Thread> started = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            final int id = i;
            Thread t = new Thread(() -> {
                try {
                    for (int round = 0; round < 5; round++) {
                        Path file = scratch.resolve("t" + id + "-" + round + ".txt");
                        String text = "thread " + id + " round " + round + "\n";
                        Files.writeString(file, text.repeat(10));
                        byte[] back = Files.readAllBytes(file);
                        CRC32 crc = new CRC32();
                        crc.update(back);
                        checksum.addAndGet(crc.getValue());
                        bytes.addAndGet(back.length);
                        Files.delete(file);
                    }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }, "storm-" + i);
            started.add(t);
            t.start();
        }
        for (Thread t : started) {
            t.join();
        }
        System.out.println("threads " + threads + " bytes " + bytes.get() + " checksum " + checksum.get());
        for (int i = 0; i < 3; i++) {
            Process p = new ProcessBuilder("sh", "-c", "echo subprocess " + i + "; exit " + i)
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            System.out.println(out + " exit " + p.waitFor());
        }
        Files.delete(scratch);
        System.out.println("done");
    }
}
