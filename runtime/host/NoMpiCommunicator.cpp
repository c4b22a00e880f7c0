//===- NoMpiCommunicator.cpp - createMpiCommunicator without MPI ----------===//
//
// A build without MPI (CMake found none): every run is a single process.
//
//===----------------------------------------------------------------------===//

#include "runtime/host/Communicator.h"

std::unique_ptr<intc::host::Communicator>
intc::host::createMpiCommunicator(int *, char ***) {
  return nullptr;
}
