package com.acme.spark.jobs;

import org.apache.spark.api.java.JavaSparkContext;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** A small correct job: the sum of 2x for x in 1..100 (10100), in one task that reports the thread it ran on. */
public final class DoublingJob {
    private DoublingJob() {
    }

    public static int run(JavaSparkContext sc) {
        List<Integer> numbers = IntStream.rangeClosed(1, 100).boxed().collect(Collectors.toList());
        return sc.parallelize(numbers, 1).mapPartitions(xs -> {
            Thread t = Thread.currentThread();
            System.out.println("@@ DOUBLING\tthread=" + t.getId() + "\tname=" + t.getName());
            System.out.flush();
            List<Integer> doubled = new ArrayList<>();
            xs.forEachRemaining(x -> doubled.add(x * 2));
            return doubled.iterator();
        }).reduce(Integer::sum);
    }
}
