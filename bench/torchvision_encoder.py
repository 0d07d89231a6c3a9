#!/usr/bin/python3
"""The torchvision side of bench_encoder: images/s of a VGG-19(-BN) trunk and fc6-fc7 head, built
with torchvision's own make_layers, in eval mode without autograd, on Debian's torch (the same
LibTorch as hashrl). Prints one number.

Usage: torchvision_encoder.py THREADS BATCH BATCHES CHANNELS SIDE IMAGE_SIZE WIDTH POOL FC_DIM BATCH_NORM(0|1)
(SIDE: the images'; IMAGE_SIZE: what they are resized to, as [encoder] image_size)
"""
import sys
import time

import torch
from torchvision.models import vgg

threads, batch, batches, channels, side, size = (int(a) for a in sys.argv[1:7])
width, pool, fc_dim, batch_norm = float(sys.argv[7]), int(sys.argv[8]), int(sys.argv[9]), sys.argv[10] == "1"
torch.set_num_threads(threads)

# Configuration E with every conv's channels scaled by `width`, as hashrl's [encoder] width does.
config = [v if v == "M" else max(1, int(v * width)) for v in vgg.cfgs["E"]]
layers = vgg.make_layers(config, batch_norm=batch_norm)
if channels != 3:  # make_layers assumes RGB: its first conv takes 3 channels
    first = layers[0]
    layers[0] = torch.nn.Conv2d(channels, first.out_channels, kernel_size=3, padding=1)
trunk = config[-2]
model = torch.nn.Sequential(
    layers, torch.nn.AdaptiveAvgPool2d(pool), torch.nn.Flatten(),
    torch.nn.Linear(trunk * pool * pool, fc_dim), torch.nn.ReLU(True), torch.nn.Dropout(),
    torch.nn.Linear(fc_dim, fc_dim), torch.nn.ReLU(True), torch.nn.Dropout()).eval()
images = torch.randint(0, 256, (batch, channels, side, side), dtype=torch.uint8)
with torch.no_grad():
    def forward():
        x = images.float() / 255.0
        if side != size:
            x = torch.nn.functional.interpolate(x, size=(size, size), mode="bilinear", align_corners=False)
        return model((x - 0.5) / 0.5)
    forward()  # warm-up
    start = time.perf_counter()
    for _ in range(batches):
        forward()
    print(batch * batches / (time.perf_counter() - start))
