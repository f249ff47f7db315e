import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.Signature;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * SHA256withRSA-2048 signatures per second, per provider and thread count: initSign + update(300 bytes) + sign,
 * as a JWT signature is made. Run with Amazon Corretto Crypto Provider on the class path to measure it beside the
 * JDK's SunRsaSign:
 *   java -cp AmazonCorrettoCryptoProvider-linux-x86_64.jar scripts/bench/SignBench.java [warmSeconds] [seconds]
 * Prints one line per measurement: provider, threads, signatures/s.
 */
public class SignBench {

    public static void main(String[] args) throws Exception {
        int warm = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        List<Provider> providers = new ArrayList<>(List.of(Security.getProvider("SunRsaSign")));
        try {
            Provider accp = (Provider) Class.forName("com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider")
                    .getField("INSTANCE").get(null);
            Object error = accp.getClass().getMethod("getLoadingError").invoke(accp);
            if (error == null) {
                providers.add(accp);
            } else {
                System.out.println("AmazonCorrettoCryptoProvider does not load here: " + error);
            }
        } catch (ClassNotFoundException e) {
            System.out.println("AmazonCorrettoCryptoProvider is not on the class path");
        }
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        byte[] payload = new byte[300];
        for (int threads : new int[] {1, 2}) {
            for (Provider provider : providers) {
                run(provider, pair.getPrivate(), payload, threads, warm);
                double rate = run(provider, pair.getPrivate(), payload, threads, seconds);
                System.out.printf("%-30s threads=%d %8.0f sign/s%n", provider.getName(), threads, rate);
            }
        }
    }

    private static double run(Provider provider, PrivateKey key, byte[] payload, int threads, int seconds)
            throws InterruptedException {
        LongAdder count = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try {
                    Signature signature = Signature.getInstance("SHA256withRSA", provider);
                    while (!stop.get()) {
                        signature.initSign(key);
                        signature.update(payload);
                        signature.sign();
                        count.increment();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            workers.add(worker);
            worker.start();
        }
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        for (Thread worker : workers) {
            worker.join();
        }
        return count.sum() / ((System.nanoTime() - start) / 1e9);
    }
}
