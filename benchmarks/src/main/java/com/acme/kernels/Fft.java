package com.acme.kernels;

import org.apache.commons.math3.complex.Complex;
import org.apache.commons.math3.transform.DftNormalization;
import org.apache.commons.math3.transform.FastFourierTransformer;
import org.apache.commons.math3.transform.TransformType;

import java.util.function.LongSupplier;

/**
 * A published library's numeric routine: Apache Commons Math's FFT. In the instrumented run every
 * class of the library that it loads gets kill points, not only this one.
 */
public final class Fft implements LongSupplier {
    private final double[] signal;
    private final FastFourierTransformer fft = new FastFourierTransformer(DftNormalization.STANDARD);

    public Fft(int size) {
        signal = new double[size];
        for (int i = 0; i < size; i++) {
            signal[i] = Math.sin(i * 0.1) + 0.5 * Math.cos(i * 0.37);
        }
    }

    @Override
    public long getAsLong() {
        Complex[] spectrum = fft.transform(signal, TransformType.FORWARD);
        return (long) (spectrum[3].abs() * 1000);
    }
}
