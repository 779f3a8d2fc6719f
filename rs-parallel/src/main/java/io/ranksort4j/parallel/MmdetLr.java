package io.ranksort4j.parallel;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.ranksort4j.core.io.Json;
import io.ranksort4j.detectors.engine.LrSchedule;
import io.ranksort4j.detectors.engine.ScheduleParams;
import java.util.Objects;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * The project's learning-rate schedule (mmdetection's linear warm-up with step or cosine decay, {@link LrSchedule})
 * as a DL4J {@link ISchedule}, keyed by DL4J's iteration counter. It holds the {@code schedule} section as JSON so
 * it travels with the network configuration to every worker.
 */
@org.nd4j.shade.jackson.annotation.JsonAutoDetect(fieldVisibility = org.nd4j.shade.jackson.annotation.JsonAutoDetect.Visibility.ANY,
        getterVisibility = org.nd4j.shade.jackson.annotation.JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = org.nd4j.shade.jackson.annotation.JsonAutoDetect.Visibility.NONE,
        setterVisibility = org.nd4j.shade.jackson.annotation.JsonAutoDetect.Visibility.NONE)
public final class MmdetLr implements ISchedule {
    private static final long serialVersionUID = 1L;

    private String schedule;
    private int itersPerEpoch;
    private transient LrSchedule lrs;

    /** For DL4J's JSON deserialisation. */
    public MmdetLr() {}

    public MmdetLr(ScheduleParams schedule, int itersPerEpoch) {
        try {
            this.schedule = Json.MAPPER.writeValueAsString(schedule);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise the schedule section: " + e.getMessage(), e);
        }
        this.itersPerEpoch = itersPerEpoch;
        lrs();
    }

    private LrSchedule lrs() {
        if (lrs == null) {
            try {
                lrs = new LrSchedule(Json.MAPPER.readValue(schedule, ScheduleParams.class), itersPerEpoch);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot read the schedule section back: " + e.getMessage(), e);
            }
        }
        return lrs;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        return lrs().lr(iteration);
    }

    @Override
    public ISchedule clone() {
        MmdetLr c = new MmdetLr();
        c.schedule = schedule;
        c.itersPerEpoch = itersPerEpoch;
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MmdetLr m && schedule.equals(m.schedule) && itersPerEpoch == m.itersPerEpoch;
    }

    @Override
    public int hashCode() {
        return Objects.hash(schedule, itersPerEpoch);
    }

    @Override
    public String toString() {
        return "MmdetLr(" + schedule + ", " + itersPerEpoch + " iterations per epoch)";
    }
}
