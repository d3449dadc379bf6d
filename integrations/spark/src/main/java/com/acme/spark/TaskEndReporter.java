package com.acme.spark;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reports each task's end as Spark's scheduler sees it ({@code @@ TASK_END}, with the end reason and the time since
 * its job group was cancelled): the driver's side of a cancel ends the job at once, the task ends only when its thread
 * leaves the function.
 */
final class TaskEndReporter extends SparkListener {
    private final Map<Integer, String> groupOfStage = new ConcurrentHashMap<>();

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted submitted) {
        String group = submitted.properties() == null ? null : submitted.properties().getProperty("spark.jobGroup.id");
        groupOfStage.put(submitted.stageInfo().stageId(), group == null ? "none" : group);
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        String group = groupOfStage.getOrDefault(end.stageId(), "none");
        SparkJobRunner.report("TASK_END\tgroup=" + group + "\ttid=" + end.taskInfo().taskId() + "\treason="
                + SparkJobRunner.oneLine(end.reason().toString()) + "\tms=" + SparkJobRunner.sinceCancel(group));
    }
}
