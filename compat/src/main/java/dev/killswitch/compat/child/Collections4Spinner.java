package dev.killswitch.compat.child;

import org.apache.commons.collections4.IteratorUtils;

import java.util.List;

/** {@code IteratorUtils.find} over a looping iterator, for an element no round finds. */
public final class Collections4Spinner implements Spinner {
    @Override
    public String loopPackage() {
        return "org.apache.commons.collections4.";
    }

    @Override
    public void spin(Spin spin) {
        IteratorUtils.find(IteratorUtils.loopingIterator(List.of(1, 2, 3)), element -> !spin.keepGoing());
    }
}
