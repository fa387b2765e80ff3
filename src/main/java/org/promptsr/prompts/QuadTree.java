package org.promptsr.prompts;

import java.util.Arrays;

/**
 * The Barnes-Hut space partition of a 2-D t-SNE map: every cell keeps its number of points and
 * their centre of mass, leaves keep their points (one position each, or several at exactly the
 * same position, or whatever is left at {@link #MAX_DEPTH}). Nodes live in flat arrays, so a
 * tree of n points costs a few arrays of about 2n entries and no objects.
 */
final class QuadTree {
	static final int MAX_DEPTH = 48;

	/** Coordinates, interleaved x0, y0, x1, y1, ... */
	private final double[] pos;
	private final int[] nextPoint;

	private double[] centreX, centreY, half, sumX, sumY;
	private int[] count, firstChild, firstPoint;
	private int nodes;

	QuadTree(double[] pos, int n) {
		this.pos = pos;
		this.nextPoint = new int[n];
		int capacity = Math.max(16, 4 * n);
		centreX = new double[capacity];
		centreY = new double[capacity];
		half = new double[capacity];
		sumX = new double[capacity];
		sumY = new double[capacity];
		count = new int[capacity];
		firstChild = new int[capacity];
		firstPoint = new int[capacity];
		double minX = Double.POSITIVE_INFINITY, minY = Double.POSITIVE_INFINITY;
		double maxX = Double.NEGATIVE_INFINITY, maxY = Double.NEGATIVE_INFINITY;
		for (int i = 0; i < n; i++) {
			minX = Math.min(minX, pos[2 * i]);
			maxX = Math.max(maxX, pos[2 * i]);
			minY = Math.min(minY, pos[2 * i + 1]);
			maxY = Math.max(maxY, pos[2 * i + 1]);
		}
		double h = 0.5 * Math.max(maxX - minX, maxY - minY);
		// a little slack so that the largest coordinates fall inside the upper cells
		h = h * (1 + 1e-9) + 1e-12;
		newNode(0.5 * (minX + maxX), 0.5 * (minY + maxY), h);
		for (int i = 0; i < n; i++)
			insert(i);
	}

	private int newNode(double cx, double cy, double h) {
		if (nodes == count.length) grow();
		int k = nodes++;
		centreX[k] = cx;
		centreY[k] = cy;
		half[k] = h;
		sumX[k] = 0;
		sumY[k] = 0;
		count[k] = 0;
		firstChild[k] = -1;
		firstPoint[k] = -1;
		return k;
	}

	private void grow() {
		int c = 2 * count.length;
		centreX = Arrays.copyOf(centreX, c);
		centreY = Arrays.copyOf(centreY, c);
		half = Arrays.copyOf(half, c);
		sumX = Arrays.copyOf(sumX, c);
		sumY = Arrays.copyOf(sumY, c);
		count = Arrays.copyOf(count, c);
		firstChild = Arrays.copyOf(firstChild, c);
		firstPoint = Arrays.copyOf(firstPoint, c);
	}

	private void insert(int p) {
		insertBelow(0, p, 0);
	}

	private void insertBelow(int node, int p, int depth) {
		double px = pos[2 * p], py = pos[2 * p + 1];
		while (true) {
			count[node]++;
			sumX[node] += px;
			sumY[node] += py;
			if (firstChild[node] >= 0) {
				node = childFor(node, px, py);
				depth++;
				continue;
			}
			int head = firstPoint[node];
			if (head < 0 || depth >= MAX_DEPTH || (pos[2 * head] == px && pos[2 * head + 1] == py)) {
				nextPoint[p] = head;
				firstPoint[node] = p;
				return;
			}
			split(node, depth);
			node = childFor(node, px, py);
			depth++;
		}
	}

	/** Turns a leaf into four children and moves its points (all at one position) into one of them. */
	private void split(int node, int depth) {
		double h = 0.5 * half[node];
		double cx = centreX[node], cy = centreY[node];
		int first = newNode(cx - h, cy - h, h);
		newNode(cx + h, cy - h, h);
		newNode(cx - h, cy + h, h);
		newNode(cx + h, cy + h, h);
		firstChild[node] = first;
		int q = firstPoint[node];
		firstPoint[node] = -1;
		while (q >= 0) {
			int next = nextPoint[q];
			insertBelow(childFor(node, pos[2 * q], pos[2 * q + 1]), q, depth + 1);
			q = next;
		}
	}

	private int childFor(int node, double px, double py) {
		return firstChild[node] + (px >= centreX[node] ? 1 : 0) + (py >= centreY[node] ? 2 : 0);
	}

	/**
	 * The repulsive part of the t-SNE gradient on point i, unnormalised: adds
	 * sum_j q_ij^2 Z^2 (y_i - y_j) to {@code force[0..1]} and returns sum_j q_ij Z (its share of Z),
	 * where q_ij Z = 1 / (1 + |y_i - y_j|^2). A cell seen under an angle below theta (its side over
	 * the distance to its centre of mass) stands for all its points; theta = 0 is the exact sum.
	 */
	double repulsion(int i, double theta, double[] force, int[] stack) {
		double xi = pos[2 * i], yi = pos[2 * i + 1];
		double theta2 = theta * theta;
		double fx = 0, fy = 0, z = 0;
		int top = 0;
		stack[top++] = 0;
		while (top > 0) {
			int node = stack[--top];
			int cnt = count[node];
			if (cnt == 0) continue;
			if (firstChild[node] < 0) {
				for (int p = firstPoint[node]; p >= 0; p = nextPoint[p]) {
					if (p == i) continue;
					double dx = xi - pos[2 * p], dy = yi - pos[2 * p + 1];
					double q = 1.0 / (1.0 + dx * dx + dy * dy);
					z += q;
					fx += q * q * dx;
					fy += q * q * dy;
				}
				continue;
			}
			double dx = xi - sumX[node] / cnt, dy = yi - sumY[node] / cnt;
			double d2 = dx * dx + dy * dy;
			double side = 2 * half[node];
			if (side * side < theta2 * d2) {
				double q = 1.0 / (1.0 + d2);
				z += cnt * q;
				double m = cnt * q * q;
				fx += m * dx;
				fy += m * dy;
			}
			else {
				int c = firstChild[node];
				stack[top++] = c;
				stack[top++] = c + 1;
				stack[top++] = c + 2;
				stack[top++] = c + 3;
			}
		}
		force[0] += fx;
		force[1] += fy;
		return z;
	}

	/** Stack size enough for {@link #repulsion}: three open siblings per level plus four children. */
	static int stackSize() {
		return 3 * (MAX_DEPTH + 1) + 4;
	}

	int nodeCount() {
		return nodes;
	}
}
