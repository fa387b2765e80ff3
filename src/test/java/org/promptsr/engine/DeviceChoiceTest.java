package org.promptsr.engine;

import ai.djl.engine.Engine;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class DeviceChoiceTest {

	@Test
	void gpuAskedForButAbsentRunsOnCpuAndSaysSo() throws Exception {
		DeviceChoice.Resolved r = DjlRuntime.call(() -> DeviceChoice.GPU.resolve(Engine.getEngine("PyTorch")));
		if (DjlRuntime.call(() -> Engine.getEngine("PyTorch").getGpuCount()) == 0) {
			assertFalse(r.isGpu());
			assertTrue(r.describe().startsWith("CPU") && r.describe().contains("GPU requested"), r.describe());
		}
		else assertTrue(r.isGpu());
	}

	@Test
	void unknownDeviceNameIsRejected() {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeviceChoice.parse("tpu"));
		assertTrue(e.getMessage().contains("auto, cpu or gpu"));
		assertEquals(DeviceChoice.CPU, DeviceChoice.parse(" CPU "));
	}

	@Test
	void djlRunsOffline() throws Exception {
		DjlRuntime.configure();
		assertEquals("true", System.getProperty("ai.djl.offline"));
	}
}
