package dev.killswitch.compat.child;

import org.apache.commons.codec.digest.DigestUtils;

import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** {@code DigestUtils.digest} of a stream that never ends. */
public final class CodecSpinner implements Spinner {
    @Override
    public String loopPackage() {
        return "org.apache.commons.codec.";
    }

    @Override
    public void spin(Spin spin) throws java.io.IOException, NoSuchAlgorithmException {
        DigestUtils.digest(MessageDigest.getInstance("SHA-256"), new InputStream() {
            @Override
            public int read() {
                return spin.keepGoing() ? 0 : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return spin.keepGoing() ? Math.min(len, 64) : -1;
            }
        });
    }
}
