// Everything of fcnn in one include: #include <fcnn/fcnn.hpp>
#pragma once

#include "fcnn/activation.hpp"
#include "fcnn/atomic_file.hpp"
#include "fcnn/backprop_reference.hpp"
#include "fcnn/cost.hpp"
#include "fcnn/gradient_check.hpp"
#include "fcnn/init.hpp"
#include "fcnn/matrix.hpp"
#include "fcnn/metrics.hpp"
#include "fcnn/model_file.hpp"
#include "fcnn/network.hpp"
#include "fcnn/optimizer.hpp"
#include "fcnn/npz.hpp"
#include "fcnn/onnx.hpp"
#include "fcnn/random.hpp"
#include "fcnn/threads.hpp"
#include "fcnn/training.hpp"
