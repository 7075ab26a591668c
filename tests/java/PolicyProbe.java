import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tries file, directory, network and exec actions through ordinary Java APIs
 * and prints one line per action: "ACTION ok" or "ACTION EXCEPTION_CLASS:
 * message". Under a fhirguard policy, refused actions must show up as clean
 * Java exceptions while the program keeps running.
 *
 * Usage: java PolicyProbe.java read:PATH | list:DIR | write:PATH | connect:HOST:PORT | exec:PATH ...
 */
public class PolicyProbe {
    public static void main(String[] args) {
        for (String action : args) {
            String kind = action.substring(0, action.indexOf(':'));
            String target = action.substring(action.indexOf(':') + 1);
            try {
                switch (kind) {
                    case "read" -> Files.readAllBytes(Path.of(target));
                    case "list" -> {
                        try (var stream = Files.list(Path.of(target))) {
                            stream.count();
                        }
                    }
                    case "write" -> Files.writeString(Path.of(target), "written by PolicyProbe\n");
                    case "connect" -> {
                        int colon = target.lastIndexOf(':');
                        try (Socket s = new Socket()) {
                            s.connect(new InetSocketAddress(target.substring(0, colon),
                                    Integer.parseInt(target.substring(colon + 1))), 2000);
                        }
                    }
                    case "exec" -> new ProcessBuilder(target).start().waitFor();
                    default -> throw new IllegalArgumentException(kind);
                }
                System.out.println(action + " ok");
            } catch (IOException | InterruptedException | RuntimeException e) {
                System.out.println(action + " " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        System.out.println("still running");
    }
}
