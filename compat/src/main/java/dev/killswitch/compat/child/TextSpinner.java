package dev.killswitch.compat.child;

import org.apache.commons.text.TextStringBuilder;

import java.io.IOException;
import java.io.Reader;

/** {@code TextStringBuilder.readFrom} a reader that never has anything to give and never ends. */
public final class TextSpinner implements Spinner {
    @Override
    public String loopPackage() {
        return "org.apache.commons.text.";
    }

    @Override
    public void spin(Spin spin) throws IOException {
        new TextStringBuilder().readFrom(new Reader() {
            @Override
            public int read(char[] buffer, int off, int len) {
                return spin.keepGoing() ? 0 : -1;
            }

            @Override
            public void close() {
                // nothing to close
            }
        });
    }
}
