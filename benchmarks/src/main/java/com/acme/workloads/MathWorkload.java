package com.acme.workloads;

import org.apache.commons.math3.complex.Complex;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.DecompositionSolver;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.random.Well19937c;
import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import org.apache.commons.math3.transform.DftNormalization;
import org.apache.commons.math3.transform.FastFourierTransformer;
import org.apache.commons.math3.transform.TransformType;
import org.apache.commons.math3.util.FastMath;

/**
 * Apache Commons Math on sizes a data-analysis job meets: a 16,384-point FFT of a noisy signal and its inverse, an LU
 * decomposition of a dense 200 x 200 system and its solution, and descriptive statistics (moments, percentiles,
 * correlation) of 100,000 log-normal values. Each result is checked (the inverse gives the signal back, the residual is
 * tiny), and its bits go into the checksum: Java's floating point gives the same bits with kill points or without.
 */
final class MathWorkload implements Workload.Op {
    private static final int FFT_SIZE = 16_384;
    private static final int SYSTEM_SIZE = 200;
    private static final int SAMPLES = 100_000;

    private final double[] signal = new double[FFT_SIZE];
    private final double[][] matrix = new double[SYSTEM_SIZE][SYSTEM_SIZE];
    private final double[] rightHandSide = new double[SYSTEM_SIZE];
    private final double[] values = new double[SAMPLES];
    private final double[] other = new double[SAMPLES];

    MathWorkload() {
        Well19937c random = new Well19937c(42);
        for (int i = 0; i < FFT_SIZE; i++) {
            signal[i] = FastMath.sin(i * 0.013) + 0.4 * FastMath.cos(i * 0.37) + 0.1 * random.nextGaussian();
        }
        for (int r = 0; r < SYSTEM_SIZE; r++) {
            for (int c = 0; c < SYSTEM_SIZE; c++) {
                matrix[r][c] = random.nextDouble() - 0.5 + (r == c ? SYSTEM_SIZE / 4.0 : 0);
            }
            rightHandSide[r] = random.nextDouble() * 100;
        }
        for (int i = 0; i < SAMPLES; i++) {
            values[i] = FastMath.exp(3 + 0.8 * random.nextGaussian());
            other[i] = 0.5 * values[i] + 20 * random.nextGaussian();
        }
    }

    @Override
    public long run() {
        long h = 17;

        FastFourierTransformer fft = new FastFourierTransformer(DftNormalization.STANDARD);
        Complex[] spectrum = fft.transform(signal, TransformType.FORWARD);
        Complex[] back = fft.transform(spectrum, TransformType.INVERSE);
        double power = 0;
        for (int i = 0; i < FFT_SIZE; i++) {
            power += spectrum[i].abs();
            if (Math.abs(back[i].getReal() - signal[i]) > 1e-9) {
                throw new IllegalStateException("the inverse FFT did not give the signal back at " + i);
            }
        }
        h = mix(h, power);

        RealMatrix a = new Array2DRowRealMatrix(matrix);
        LUDecomposition lu = new LUDecomposition(a);
        DecompositionSolver solver = lu.getSolver();
        RealVector b = new ArrayRealVector(rightHandSide);
        RealVector x = solver.solve(b);
        double residual = a.operate(x).subtract(b).getLInfNorm();
        if (residual > 1e-9) {
            throw new IllegalStateException("LU solution residual " + residual);
        }
        h = mix(h, lu.getDeterminant());
        h = mix(h, x.getL1Norm());

        DescriptiveStatistics stats = new DescriptiveStatistics(values);
        h = mix(h, stats.getMean());
        h = mix(h, stats.getStandardDeviation());
        h = mix(h, stats.getSkewness());
        h = mix(h, stats.getKurtosis());
        h = mix(h, stats.getPercentile(50));
        h = mix(h, stats.getPercentile(99));
        h = mix(h, new PearsonsCorrelation().correlation(values, other));
        return h;
    }

    private static long mix(long h, double value) {
        return h * 31 + Double.doubleToLongBits(value);
    }
}
